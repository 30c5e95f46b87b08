#include "absl/status/status.h"

#include "idemcheck/store.h"

namespace idemcheck {

Code CodeOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return Code::kOk;
    case absl::StatusCode::kInvalidArgument:
      return Code::kInvalidArgument;
    case absl::StatusCode::kNotFound:
      return Code::kNotFound;
    case absl::StatusCode::kPermissionDenied:
      return Code::kUnauthorized;
    case absl::StatusCode::kAborted:
      return Code::kConflict;
    case absl::StatusCode::kResourceExhausted:
      return Code::kResourceExhausted;
    case absl::StatusCode::kDataLoss:
      return Code::kCorrupt;
    default:
      return Code::kOutsideContract;
  }
}

}  // namespace idemcheck
