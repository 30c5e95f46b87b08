#include "idemcheck/ops.h"

#include <variant>

#include "absl/strings/string_view.h"

namespace idemcheck {
namespace {

template <typename T>
constexpr absl::string_view NameOf();
#define IDEMCHECK_OP_NAME(T)                    \
  template <>                                   \
  constexpr absl::string_view NameOf<op::T>() { \
    return #T;                                  \
  }
IDEMCHECK_OP_NAME(CreateCapsule)
IDEMCHECK_OP_NAME(Grant)
IDEMCHECK_OP_NAME(Revoke)
IDEMCHECK_OP_NAME(CreateMemory)
IDEMCHECK_OP_NAME(GetMemory)
IDEMCHECK_OP_NAME(DeleteMemory)
IDEMCHECK_OP_NAME(ListMemories)
IDEMCHECK_OP_NAME(CreateGallery)
IDEMCHECK_OP_NAME(GetGallery)
IDEMCHECK_OP_NAME(DeleteGallery)
IDEMCHECK_OP_NAME(ListGalleries)
IDEMCHECK_OP_NAME(CreateFolder)
IDEMCHECK_OP_NAME(GetFolder)
IDEMCHECK_OP_NAME(DeleteFolder)
IDEMCHECK_OP_NAME(ListFolders)
IDEMCHECK_OP_NAME(BeginUpload)
IDEMCHECK_OP_NAME(PutChunk)
IDEMCHECK_OP_NAME(FinishUpload)
IDEMCHECK_OP_NAME(AbortUpload)
IDEMCHECK_OP_NAME(AdvanceClock)
IDEMCHECK_OP_NAME(Upgrade)
#undef IDEMCHECK_OP_NAME

}  // namespace

absl::string_view OpName(const Op& op) {
  return std::visit([](const auto& o) { return NameOf<std::decay_t<decltype(o)>>(); }, op);
}

absl::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "Ok";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kNotFound:
      return "NotFound";
    case Code::kUnauthorized:
      return "Unauthorized";
    case Code::kConflict:
      return "Conflict";
    case Code::kResourceExhausted:
      return "ResourceExhausted";
    case Code::kCorrupt:
      return "Corrupt";
    case Code::kOutsideContract:
      return "OutsideContract";
  }
  return "OutsideContract";
}

}  // namespace idemcheck
