#include "traces/trace_writer.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "traces/trace_schema.h"

namespace idemcheck::traces {
namespace {

// Member order is part of readability: "op" first, then arguments, then the outcome.
using Json = nlohmann::ordered_json;

// Well-formed UTF-8 as Unicode defines it (Table 3-7): no overlong forms, no surrogates, nothing
// above U+10FFFF. Exactly what a JSON string may hold, so anything else goes out as base64.
bool IsWellFormedUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
    const uint8_t c = b(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    if (b(i + 1) < lo || b(i + 1) > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

class Encoder {
 public:
  explicit Encoder(const Renaming* names) : names_(names) {}

  Json operator()(const std::string& bytes) const {
    if (IsWellFormedUtf8(bytes)) return bytes;
    return Json{{schema::kBase64Member, absl::Base64Escape(bytes)}};
  }
  Json operator()(const std::optional<std::string>& bytes) const {
    return bytes ? (*this)(*bytes) : Json(nullptr);
  }
  template <IdKind K>
  Json operator()(Ref<K> ref) const {
    if (names_ == nullptr) return ref.n;
    return absl::StrCat(names_->Resolve(K, ref.n));
  }
  Json operator()(Role role) const { return std::string(RoleName(role)); }
  Json operator()(uint32_t n) const { return n; }
  Json operator()(uint64_t n) const { return n; }
  Json operator()(schema::Digest<const uint64_t> digest) const {
    return absl::StrFormat("%016x", digest.value);
  }
  Json operator()(std::monostate) const { return nullptr; }
  template <typename Entry>
  Json operator()(const std::vector<Entry>& entries) const {
    Json array = Json::array();
    for (const Entry& entry : entries) array.push_back(Object(entry));
    return array;
  }
  Json operator()(const MemoryPayload& p) const { return Object(p); }
  Json operator()(const GalleryPayload& p) const { return Object(p); }
  Json operator()(const FolderPayload& p) const { return Object(p); }

  // `x`'s members as the members of one object.
  template <typename X>
  Json Object(const X& x) const {
    Json object = Json::object();
    schema::Members(x, [&](const char* name, const auto& field) { object[name] = (*this)(field); });
    return object;
  }

 private:
  const Renaming* names_;
};

}  // namespace

TraceWriter::TraceWriter(std::ostream& out, const TraceHeader& header, const Renaming* names)
    : out_(&out), names_(names) {
  Json line = {
      {schema::kVersionMember, header.version},
      {schema::kIdsMember, header.ids == IdSpelling::kRaw ? schema::kRawIds : schema::kOrdinalIds},
      {schema::kLimitsMember, Encoder(nullptr).Object(header.limits)},
  };
  if (!header.producer.empty()) line[schema::kProducerMember] = Encoder(nullptr)(header.producer);
  *out_ << line.dump() << '\n';
}

TraceWriter TraceWriter::WithOrdinals(std::ostream& out, const Limits& limits,
                                      absl::string_view producer) {
  return TraceWriter(
      out,
      TraceHeader{.ids = IdSpelling::kOrdinal, .limits = limits, .producer = std::string(producer)},
      nullptr);
}

TraceWriter TraceWriter::WithStoreIds(std::ostream& out, const Limits& limits,
                                      absl::string_view producer, const Renaming& names) {
  return TraceWriter(
      out,
      TraceHeader{.ids = IdSpelling::kRaw, .limits = limits, .producer = std::string(producer)},
      &names);
}

void TraceWriter::Write(const Op& op) { WriteLine(op, nullptr, false); }
void TraceWriter::Write(const Op& op, const Outcome& outcome) { WriteLine(op, &outcome, false); }
void TraceWriter::WriteUnavailable(const Op& op, absl::string_view message) {
  const Outcome failed{.code = Code::kOutsideContract, .message = std::string(message)};
  WriteLine(op, &failed, true);
}

void TraceWriter::WriteLine(const Op& op, const Outcome* outcome, bool unavailable) {
  // With store IDs, arguments and outcome resolve through the renaming as it is after the step.
  // That is also how the arguments resolved before it: no operation hands out a new ID of a kind
  // it takes as an argument, so the step cannot have named any ID its arguments refer to.
  const Encoder encode(names_);
  Json line = Json::object();
  line[schema::kOpMember] = std::string(OpName(op));
  std::visit(
      [&](const auto& o) {
        schema::Members(o,
                        [&](const char* name, const auto& field) { line[name] = encode(field); });
      },
      op);
  if (outcome != nullptr) {
    Json result = {{schema::kCodeMember,
                    unavailable ? schema::kUnavailableCode : std::string(CodeName(outcome->code))}};
    if (outcome->ok() && !std::holds_alternative<std::monostate>(outcome->value)) {
      result[schema::kValueMember] = std::visit(encode, outcome->value);
    }
    if (!outcome->message.empty()) result[schema::kMessageMember] = encode(outcome->message);
    line[schema::kOutcomeMember] = std::move(result);
  }
  *out_ << line.dump() << '\n';
}

absl::Status TraceWriter::status() const {
  if (!*out_) return absl::DataLossError("writing the trace failed");
  return absl::OkStatus();
}

}  // namespace idemcheck::traces
