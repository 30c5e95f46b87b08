#include "traces/trace_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <istream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "traces/json_columns.h"
#include "traces/trace_schema.h"

namespace idemcheck::traces {

class RawIdNames {
 public:
  // The ordinal of `raw` if an outcome has returned it, else 0.
  uint32_t Find(IdKind kind, const std::string& raw) const {
    const auto& table = tables_[static_cast<int>(kind)];
    auto it = table.find(raw);
    return it == table.end() ? 0 : it->second;
  }
  // Its ordinal, naming it with the next one when no outcome has returned it yet.
  uint32_t Name(IdKind kind, const std::string& raw) {
    auto& table = tables_[static_cast<int>(kind)];
    return table.try_emplace(raw, static_cast<uint32_t>(table.size() + 1)).first->second;
  }

 private:
  std::array<absl::flat_hash_map<std::string, uint32_t>, kIdKindCount> tables_;
};

namespace {

using Json = nlohmann::json;
using Names = absl::InlinedVector<absl::string_view, 8>;

constexpr size_t kShownBytes = 40;
constexpr char kBytes[] = "a string (or {\"base64\": \"...\"} for bytes that are not UTF-8)";
constexpr char kHeaderShape[] =
    "the header line {\"idemcheck_trace\": 1, \"ids\": \"ordinal\" or \"raw\", \"limits\": {...}}";

// A value being decoded and where it sits in its line: a chain of members and elements up to
// the root, kept on the stack so that only the error path pays for building a path.
struct At {
  const Json& json;
  const At* parent = nullptr;
  absl::string_view member;                    // when the value is an object member
  std::optional<size_t> index = std::nullopt;  // when it is an array element

  At Member(const Json& value, absl::string_view name) const {
    return At{.json = value, .parent = this, .member = name};
  }
  At Element(const Json& value, size_t i) const {
    return At{.json = value, .parent = this, .index = i};
  }
};

std::vector<const At*> ChainOf(const At& at) {
  std::vector<const At*> chain;
  for (const At* a = &at; a->parent != nullptr; a = a->parent) chain.push_back(a);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

JsonPath PathOf(const At& at) {
  JsonPath path;
  for (const At* a : ChainOf(at)) {
    path.push_back(a->index ? absl::StrCat(*a->index) : std::string(a->member));
  }
  return path;
}

std::string Shorten(absl::string_view text) {
  if (text.size() <= kShownBytes) return std::string(text);
  return absl::StrCat(text.substr(0, kShownBytes), "...");
}

// "outcome.value[2].title"
std::string ShowPath(const At& at) {
  std::string out;
  for (const At* a : ChainOf(at)) {
    if (a->index) {
      absl::StrAppend(&out, "[", *a->index, "]");
    } else {
      absl::StrAppend(&out, out.empty() ? "" : ".", Shorten(a->member));
    }
  }
  return out;
}

// What a JSON value is, for "found ..." in messages: its type and, if short, its text.
std::string Describe(const Json& value) {
  const std::string text = Shorten(value.dump(-1, ' ', false, Json::error_handler_t::replace));
  switch (value.type()) {
    case Json::value_t::object:
      return value.empty() ? "an empty object" : absl::StrCat("the object ", text);
    case Json::value_t::array:
      return absl::StrCat("the array ", text);
    case Json::value_t::string:
      return absl::StrCat("the string ", text);
    case Json::value_t::number_float:
      return absl::StrCat("the number ", text);
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return absl::StrCat("the integer ", text);
    default:
      return text;
  }
}

std::optional<Code> CodeNamed(absl::string_view name) {
  for (Code code :
       {Code::kOk, Code::kInvalidArgument, Code::kNotFound, Code::kUnauthorized, Code::kConflict,
        Code::kResourceExhausted, Code::kCorrupt, Code::kOutsideContract}) {
    if (CodeName(code) == name) return code;
  }
  return std::nullopt;
}

// One default-constructed operation of each kind, to find one by name.
const std::vector<Op>& OpPrototypes() {
  static const auto* prototypes = [] {
    auto* ops = new std::vector<Op>();
    [&]<size_t... I>(std::index_sequence<I...>) {
      (ops->push_back(Op(std::in_place_index<I>)), ...);
    }
    (std::make_index_sequence<std::variant_size_v<Op>>());
    return ops;
  }();
  return *prototypes;
}

absl::string_view KindName(IdKind kind) {
  switch (kind) {
    case IdKind::kCapsule:
      return "capsule";
    case IdKind::kMemory:
      return "memory";
    case IdKind::kSession:
      return "upload session";
    case IdKind::kBlob:
      return "blob";
  }
  return "store";
}

// Decodes one line, reporting the first problem with its line and column and what was expected.
class LineDecoder {
 public:
  LineDecoder(absl::string_view text, size_t line, IdSpelling ids, RawIdNames& raw_ids)
      : text_(text), line_(line), ids_(ids), raw_ids_(raw_ids) {}

  absl::StatusOr<Json> Parse() const {
    try {
      return Json::parse(text_.begin(), text_.end());
    } catch (const Json::parse_error& e) {
      // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1,
      // column 5: <what>"; the line and column are ours to state.
      absl::string_view what = e.what();
      if (size_t column = what.find("column "); column != what.npos) {
        if (size_t colon = what.find(": ", column); colon != what.npos) {
          what.remove_prefix(colon + 2);
        }
      }
      return Located(std::max<size_t>(e.byte, 1), absl::StrCat("invalid JSON: ", what));
    } catch (const Json::exception& e) {
      return Located(1, absl::StrCat("invalid JSON: ", e.what()));
    }
  }

  absl::Status DecodeHeader(const At& root, TraceHeader& header);
  absl::Status DecodeStep(const At& root, bool require_outcome, TraceStep& step);

 private:
  absl::Status Located(size_t column, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line_, ", column ", column, ": ", what));
  }
  absl::Status Problem(const At& at, absl::string_view what) const {
    const std::string path = ShowPath(at);
    return Located(ColumnOf(text_, PathOf(at)),
                   path.empty() ? std::string(what) : absl::StrCat(path, ": ", what));
  }
  absl::Status Mismatch(const At& at, absl::string_view expected) const {
    return Problem(at, absl::StrCat("expected ", expected, ", found ", Describe(at.json)));
  }
  absl::Status Missing(const At& at, absl::string_view member, absl::string_view expected) const {
    return Problem(at, absl::StrCat("missing member \"", member, "\": ", expected));
  }

  // Members other than `allowed` (and extensions, "x-...") are an error: a misspelt member
  // would otherwise go unnoticed.
  absl::Status OnlyMembers(const At& at, const Names& allowed) const {
    for (auto it = at.json.begin(); it != at.json.end(); ++it) {
      const std::string& key = it.key();
      if (absl::StartsWith(key, schema::kExtensionPrefix)) continue;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      return Problem(at.Member(it.value(), key),
                     absl::StrCat("unexpected member; expected ", absl::StrJoin(allowed, ", "),
                                  " (or an extension member named \"x-...\")"));
    }
    return absl::OkStatus();
  }

  template <typename X>
  absl::Status DecodeMembers(const At& at, X& x, std::initializer_list<const char*> also,
                             bool all_optional = false) {
    const auto names = [&] {
      Names all;
      schema::Members(x, [&](const char* name, auto&&) { all.push_back(name); });
      for (const char* name : also) all.push_back(name);
      return all;
    };
    if (!at.json.is_object()) {
      Names expected;
      schema::Members(x, [&](const char* name, auto&&) { expected.push_back(name); });
      return Mismatch(at, absl::StrCat("an object with members ", absl::StrJoin(expected, ", ")));
    }
    absl::Status status;
    size_t found = 0;
    schema::Members(x, [&](const char* name, auto&& field) {
      if (!status.ok()) return;
      auto it = at.json.find(name);
      if (it == at.json.end()) {
        if (!all_optional) status = Missing(at, name, Expected(field));
        return;
      }
      ++found;
      status = Decode(at.Member(*it, name), field);
    });
    if (!status.ok()) return status;
    for (const char* name : also) found += at.json.contains(name) ? 1 : 0;
    // Member names are unique, so when every member was accounted for there is nothing else;
    // only then is the list of names worth building.
    if (found == at.json.size()) return absl::OkStatus();
    return OnlyMembers(at, names());
  }

  template <typename O>
  absl::Status DecodeOutcome(const At& at, TraceStep& step) {
    Outcome& out = step.outcome.emplace();
    using V = typename schema::OkValue<O>::type;
    constexpr char kShape[] = "an object {\"code\": ..., \"value\": ..., \"message\": ...}";
    if (!at.json.is_object()) return Mismatch(at, kShape);
    auto code = at.json.find(schema::kCodeMember);
    const std::string codes =
        "one of Ok, InvalidArgument, NotFound, Unauthorized, Conflict, "
        "ResourceExhausted, Corrupt, OutsideContract, Unavailable";
    if (code == at.json.end()) return Missing(at, schema::kCodeMember, codes);
    const At at_code = at.Member(*code, schema::kCodeMember);
    const std::string* name = code->is_string() ? &code->get_ref<const std::string&>() : nullptr;
    std::optional<Code> parsed = name != nullptr ? CodeNamed(*name) : std::nullopt;
    if (name != nullptr && *name == schema::kUnavailableCode) {
      parsed = Code::kOutsideContract;
      step.unavailable = true;
    }
    if (!parsed) return Mismatch(at_code, codes);
    out.code = *parsed;

    if (auto message = at.json.find(schema::kMessageMember); message != at.json.end()) {
      if (absl::Status s = Decode(at.Member(*message, schema::kMessageMember), out.message);
          !s.ok()) {
        return s;
      }
    }

    auto value = at.json.find(schema::kValueMember);
    const bool has_value = value != at.json.end() && !value->is_null();
    if constexpr (std::is_same_v<V, std::monostate>) {
      if (has_value) {
        return Problem(at.Member(*value, schema::kValueMember),
                       absl::StrCat("unexpected value: ", OpName(O{}), " returns none"));
      }
    } else {
      if (out.ok()) {
        V decoded{};
        if (!has_value) return Missing(at, schema::kValueMember, Expected(decoded));
        in_outcome_ = true;
        if (absl::Status s = Decode(at.Member(*value, schema::kValueMember), decoded); !s.ok()) {
          return s;
        }
        out.value = std::move(decoded);
      } else if (has_value) {
        return Problem(at.Member(*value, schema::kValueMember),
                       "unexpected value: an error outcome carries none");
      }
    }
    return OnlyMembers(at, {schema::kCodeMember, schema::kValueMember, schema::kMessageMember});
  }

  // ---- One value of each field type (trace_schema.h) ----

  static std::string Expected(const std::string&) { return kBytes; }
  static std::string Expected(const std::optional<std::string>&) {
    return absl::StrCat("null or ", kBytes);
  }
  template <IdKind K>
  std::string Expected(Ref<K>) const {
    if (ids_ == IdSpelling::kOrdinal) {
      return absl::StrCat("a ", KindName(K), " ordinal: a whole number n, the n-th distinct ",
                          KindName(K), " ID returned so far");
    }
    return absl::StrCat("a ", KindName(K), " ID: a string, the store's own ID");
  }
  static std::string Expected(Role) { return "\"owner\" or \"controller\""; }
  static std::string Expected(uint32_t) {
    return absl::StrCat("a whole number from 0 to ", std::numeric_limits<uint32_t>::max());
  }
  static std::string Expected(uint64_t) {
    return absl::StrCat("a whole number from 0 to ", std::numeric_limits<uint64_t>::max());
  }
  static std::string Expected(schema::Digest<uint64_t>) {
    return "a digest: a string of 16 hex digits";
  }
  template <typename X>
  static std::string Expected(const X& x) {
    Names names;
    schema::Members(x, [&](const char* name, auto&&) { names.push_back(name); });
    return absl::StrCat("an object with members ", absl::StrJoin(names, ", "));
  }
  template <typename Entry>
  static std::string Expected(const std::vector<Entry>&) {
    return absl::StrCat("an array of ", Expected(Entry{}));
  }

  absl::Status Decode(const At& at, std::string& out) const {
    if (at.json.is_string()) {
      out = at.json.get_ref<const std::string&>();
      return absl::OkStatus();
    }
    if (at.json.is_object() && at.json.size() == 1) {
      auto base64 = at.json.find(schema::kBase64Member);
      if (base64 != at.json.end() && base64->is_string() &&
          absl::Base64Unescape(base64->get_ref<const std::string&>(), &out)) {
        return absl::OkStatus();
      }
    }
    return Mismatch(at, kBytes);
  }
  absl::Status Decode(const At& at, std::optional<std::string>& out) const {
    if (at.json.is_null()) {
      out.reset();
      return absl::OkStatus();
    }
    out.emplace();
    if (!at.json.is_string() && !at.json.is_object()) return Mismatch(at, Expected(out));
    return Decode(at, *out);
  }
  template <IdKind K>
  absl::Status Decode(const At& at, Ref<K>& ref) {
    if (ids_ == IdSpelling::kOrdinal) {
      if (!at.json.is_number_unsigned() ||
          at.json.get<uint64_t>() > std::numeric_limits<uint32_t>::max()) {
        return Mismatch(at, Expected(ref));
      }
      ref.n = static_cast<uint32_t>(at.json.get<uint64_t>());
      return absl::OkStatus();
    }
    if (!at.json.is_string()) return Mismatch(at, Expected(ref));
    const std::string& raw = at.json.get_ref<const std::string&>();
    ref.n = in_outcome_ ? raw_ids_.Name(K, raw) : raw_ids_.Find(K, raw);
    return absl::OkStatus();
  }
  absl::Status Decode(const At& at, Role& role) const {
    const std::string* name =
        at.json.is_string() ? &at.json.get_ref<const std::string&>() : nullptr;
    if (name != nullptr && *name == RoleName(Role::kOwner)) {
      role = Role::kOwner;
    } else if (name != nullptr && *name == RoleName(Role::kController)) {
      role = Role::kController;
    } else {
      return Mismatch(at, Expected(role));
    }
    return absl::OkStatus();
  }
  template <typename Uint>
  requires std::is_same_v<Uint, uint32_t> || std::is_same_v<Uint, uint64_t> absl::Status Decode(
      const At& at, Uint& out)
  const {
    if (!at.json.is_number_unsigned() ||
        at.json.get<uint64_t>() > std::numeric_limits<Uint>::max()) {
      return Mismatch(at, Expected(out));
    }
    out = static_cast<Uint>(at.json.get<uint64_t>());
    return absl::OkStatus();
  }
  absl::Status Decode(const At& at, schema::Digest<uint64_t> digest) const {
    if (at.json.is_string()) {
      const std::string& text = at.json.get_ref<const std::string&>();
      const bool hex = text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
                         return absl::ascii_isxdigit(static_cast<unsigned char>(c));
                       });
      if (hex && absl::SimpleHexAtoi(text, &digest.value)) return absl::OkStatus();
    }
    return Mismatch(at, Expected(digest));
  }
  template <typename Payload>
  requires std::is_same_v<Payload, MemoryPayload> || std::is_same_v<Payload, GalleryPayload> ||
      std::is_same_v<Payload, FolderPayload>
          absl::Status Decode(const At& at, Payload& payload) {
    return DecodeMembers(at, payload, {});
  }
  template <typename Entry>
  absl::Status Decode(const At& at, std::vector<Entry>& entries) {
    if (!at.json.is_array()) return Mismatch(at, Expected(entries));
    entries.reserve(at.json.size());
    for (size_t i = 0; i < at.json.size(); ++i) {
      Entry entry{};
      if (absl::Status s = DecodeMembers(at.Element(at.json[i], i), entry, {}); !s.ok()) return s;
      entries.push_back(std::move(entry));
    }
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t line_;
  IdSpelling ids_;
  RawIdNames& raw_ids_;
  // Raw IDs in an outcome are named (a store handing one out); in arguments only looked up.
  bool in_outcome_ = false;
};

// Defined after the class, where every member template they instantiate is defined (clang 14
// rejects instantiating one from a lambda in the class body before its definition).
absl::Status LineDecoder::DecodeHeader(const At& root, TraceHeader& header) {
  if (!root.json.is_object()) return Mismatch(root, kHeaderShape);
  auto version = root.json.find(schema::kVersionMember);
  if (version == root.json.end()) {
    if (root.json.contains(schema::kOpMember)) {
      return Problem(root, absl::StrCat("expected ", kHeaderShape, " before the first operation"));
    }
    return Missing(root, schema::kVersionMember, "the format version, 1");
  }
  const At at_version = root.Member(*version, schema::kVersionMember);
  if (!version->is_number_unsigned() || version->get<uint64_t>() != kTraceFormatVersion) {
    return Mismatch(at_version, absl::StrCat("format version ", kTraceFormatVersion,
                                             " (the only version this build reads)"));
  }
  header.version = kTraceFormatVersion;

  auto ids = root.json.find(schema::kIdsMember);
  constexpr char kIdsExpected[] = "\"ordinal\" or \"raw\"";
  if (ids == root.json.end()) return Missing(root, schema::kIdsMember, kIdsExpected);
  const At at_ids = root.Member(*ids, schema::kIdsMember);
  if (*ids == schema::kOrdinalIds) {
    header.ids = IdSpelling::kOrdinal;
  } else if (*ids == schema::kRawIds) {
    header.ids = IdSpelling::kRaw;
  } else {
    return Mismatch(at_ids, kIdsExpected);
  }

  if (auto limits = root.json.find(schema::kLimitsMember); limits != root.json.end()) {
    if (absl::Status s = DecodeMembers(root.Member(*limits, schema::kLimitsMember), header.limits,
                                       {}, /*all_optional=*/true);
        !s.ok()) {
      return s;
    }
  }
  if (auto producer = root.json.find(schema::kProducerMember); producer != root.json.end()) {
    if (absl::Status s = Decode(root.Member(*producer, schema::kProducerMember), header.producer);
        !s.ok()) {
      return s;
    }
  }
  return OnlyMembers(root, {schema::kVersionMember, schema::kIdsMember, schema::kLimitsMember,
                            schema::kProducerMember});
}

absl::Status LineDecoder::DecodeStep(const At& root, bool require_outcome, TraceStep& step) {
  if (!root.json.is_object()) return Mismatch(root, "an object: one operation");
  auto name = root.json.find(schema::kOpMember);
  if (name == root.json.end()) {
    if (root.json.contains(schema::kVersionMember)) {
      return Problem(root, "a second header line; expected an operation");
    }
    return Missing(root, schema::kOpMember, "an operation name such as \"CreateMemory\"");
  }
  const At at_name = root.Member(*name, schema::kOpMember);
  const Op* prototype = nullptr;
  if (name->is_string()) {
    for (const Op& op : OpPrototypes()) {
      if (OpName(op) == name->get_ref<const std::string&>()) prototype = &op;
    }
  }
  if (prototype == nullptr) {
    return Mismatch(at_name, absl::StrCat("an operation name, one of ",
                                          absl::StrJoin(OpPrototypes(), ", ",
                                                        [](std::string* out, const Op& op) {
                                                          absl::StrAppend(out, OpName(op));
                                                        })));
  }
  step.op = *prototype;
  return std::visit(
      [&](auto& o) -> absl::Status {
        using O = std::decay_t<decltype(o)>;
        // Arguments first: an outcome may name IDs, an argument only refers to named ones.
        if (absl::Status s = DecodeMembers(root, o, {schema::kOpMember, schema::kOutcomeMember});
            !s.ok()) {
          return s;
        }
        auto outcome = root.json.find(schema::kOutcomeMember);
        if (outcome == root.json.end()) {
          if (!require_outcome) return absl::OkStatus();
          return Missing(root, schema::kOutcomeMember,
                         "what the store returned (this trace must have been executed)");
        }
        return DecodeOutcome<O>(root.Member(*outcome, schema::kOutcomeMember), step);
      },
      step.op);
}

bool IsBlank(absl::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

TraceReader::TraceReader(std::istream& in, const Options& options)
    : in_(&in), options_(options), raw_ids_(std::make_unique<RawIdNames>()) {}
TraceReader::TraceReader(TraceReader&&) = default;
TraceReader& TraceReader::operator=(TraceReader&&) = default;
TraceReader::~TraceReader() = default;

absl::StatusOr<TraceReader> TraceReader::Open(std::istream& in, const Options& options) {
  TraceReader reader(in, options);
  absl::StatusOr<bool> read = reader.ReadLine();
  if (!read.ok()) return read.status();
  if (!*read) {
    return absl::InvalidArgumentError(
        absl::StrCat("line 1, column 1: expected ", kHeaderShape, ", found the end of the input"));
  }
  LineDecoder decoder(reader.line_, reader.line_number_, IdSpelling::kOrdinal, *reader.raw_ids_);
  absl::StatusOr<Json> json = decoder.Parse();
  if (!json.ok()) return json.status();
  if (absl::Status s = decoder.DecodeHeader(At{.json = *json}, reader.header_); !s.ok()) return s;
  return reader;
}

absl::StatusOr<std::optional<TraceStep>> TraceReader::Next() {
  absl::StatusOr<bool> read = ReadLine();
  if (!read.ok()) return read.status();
  if (!*read) return std::nullopt;
  LineDecoder decoder(line_, line_number_, header_.ids, *raw_ids_);
  absl::StatusOr<Json> json = decoder.Parse();
  if (!json.ok()) return json.status();
  TraceStep step{.line = line_number_};
  if (absl::Status s = decoder.DecodeStep(At{.json = *json}, options_.require_outcomes, step);
      !s.ok()) {
    return s;
  }
  return step;
}

absl::StatusOr<bool> TraceReader::ReadLine() {
  while (std::getline(*in_, line_)) {
    ++line_number_;
    bytes_read_ += line_.size() + (in_->eof() ? 0 : 1);
    if (!IsBlank(line_)) return true;
  }
  if (in_->bad()) {
    return absl::DataLossError(absl::StrCat("reading the trace failed after line ", line_number_));
  }
  return false;
}

}  // namespace idemcheck::traces
