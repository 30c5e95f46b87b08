#include "idemcheck/printer.h"

#include <array>
#include <cstdio>
#include <ostream>
#include <span>
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace idemcheck {
namespace {

constexpr size_t kShownBytes = 24;

// Names that read well bare: principals such as alice or 2vxsx-fae.
bool IsPlainWord(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) return false;
  }
  return true;
}

// A C-style quoted string, cut after kShownBytes bytes with the full length appended.
std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, kShownBytes)) {
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", absl::string_view(&c, 1));
    } else if (c >= 0x20 && c <= 0x7E) {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(c));
    }
  }
  out += "\"";
  if (s.size() > kShownBytes) absl::StrAppend(&out, "...(", s.size(), " bytes)");
  return out;
}

std::string Name(absl::string_view principal) {
  return IsPlainWord(principal) ? std::string(principal) : Quote(principal);
}

// Payload bytes that may be long: short ones quoted, long ones by size and digest, so that two
// different long payloads never print alike.
std::string Bytes(absl::string_view s) {
  if (s.size() <= kShownBytes) return Quote(s);
  return absl::StrFormat("%d bytes fnv %016x", s.size(), Fnv1a64(s));
}

std::string Key(absl::string_view key) { return key.empty() ? "no key" : "key " + Quote(key); }

constexpr std::array<char, kIdKindCount> kRefPrefix = {'c', 'm', 'u', 'b'};

std::string Show(const MemoryPayload& p) {
  return absl::StrCat("{title ", Quote(p.title), ", content ", Bytes(p.content), "}");
}
std::string Show(const GalleryPayload& p) { return absl::StrCat("{title ", Quote(p.title), "}"); }
std::string Show(const FolderPayload& p) {
  return absl::StrCat("{name ", Quote(p.name), ", parent ",
                      p.parent ? Quote(*p.parent) : std::string("none"), "}");
}
template <IdKind K>
std::string Show(Ref<K> ref) {
  return ToString(ref);
}
std::string Show(const MemoryEntry& e) {
  return absl::StrCat(ToString(e.id), " ", Show(e.payload));
}
std::string Show(const GalleryEntry& e) { return absl::StrCat(Quote(e.id), " ", Show(e.payload)); }
std::string Show(const FolderEntry& e) { return absl::StrCat(Quote(e.id), " ", Show(e.payload)); }
template <typename Entry>
std::string Show(const std::vector<Entry>& entries) {
  return absl::StrCat(
      "[",
      absl::StrJoin(entries, ", ", [](std::string* out, const Entry& e) { out->append(Show(e)); }),
      "]");
}

struct OpText {
  std::string operator()(const op::CreateCapsule& o) const {
    return absl::StrCat("CreateCapsule(", Name(o.caller), ", subject ", Name(o.subject), ")");
  }
  std::string operator()(const op::Grant& o) const { return Access("Grant", o); }
  std::string operator()(const op::Revoke& o) const { return Access("Revoke", o); }
  std::string operator()(const op::CreateMemory& o) const {
    return absl::StrCat("CreateMemory(", Name(o.caller), ", ", ToString(o.capsule), ", ",
                        Show(o.payload), ", ", Key(o.key), ")");
  }
  std::string operator()(const op::GetMemory& o) const { return ById("GetMemory", o, o.memory); }
  std::string operator()(const op::DeleteMemory& o) const {
    return ById("DeleteMemory", o, o.memory);
  }
  std::string operator()(const op::ListMemories& o) const { return List("ListMemories", o); }
  std::string operator()(const op::CreateGallery& o) const {
    return absl::StrCat("CreateGallery(", Name(o.caller), ", ", ToString(o.capsule), ", ",
                        Quote(o.id), ", ", Show(o.payload), ")");
  }
  std::string operator()(const op::GetGallery& o) const { return ByUuid("GetGallery", o); }
  std::string operator()(const op::DeleteGallery& o) const { return ByUuid("DeleteGallery", o); }
  std::string operator()(const op::ListGalleries& o) const { return List("ListGalleries", o); }
  std::string operator()(const op::CreateFolder& o) const {
    return absl::StrCat("CreateFolder(", Name(o.caller), ", ", ToString(o.capsule), ", ",
                        Quote(o.id), ", ", Show(o.payload), ")");
  }
  std::string operator()(const op::GetFolder& o) const { return ByUuid("GetFolder", o); }
  std::string operator()(const op::DeleteFolder& o) const { return ByUuid("DeleteFolder", o); }
  std::string operator()(const op::ListFolders& o) const { return List("ListFolders", o); }
  std::string operator()(const op::BeginUpload& o) const {
    return absl::StrCat("BeginUpload(", Name(o.caller), ", ", ToString(o.capsule), ", ",
                        o.expected_chunks, " chunks, ", Key(o.key), ")");
  }
  std::string operator()(const op::PutChunk& o) const {
    return absl::StrCat("PutChunk(", Name(o.caller), ", ", ToString(o.session), ", index ", o.index,
                        ", ", Bytes(o.bytes), ")");
  }
  std::string operator()(const op::FinishUpload& o) const {
    return absl::StrFormat("FinishUpload(%s, %s, %d bytes, digest %016x)", Name(o.caller),
                           ToString(o.session), o.total_len, o.digest);
  }
  std::string operator()(const op::AbortUpload& o) const {
    return absl::StrCat("AbortUpload(", Name(o.caller), ", ", ToString(o.session), ")");
  }
  std::string operator()(const op::AdvanceClock& o) const {
    return absl::StrCat("AdvanceClock(", o.seconds, "s)");
  }
  std::string operator()(const op::Upgrade&) const { return "Upgrade()"; }

  template <typename O>
  static std::string Access(absl::string_view name, const O& o) {
    return absl::StrCat(name, "(", Name(o.caller), ", ", ToString(o.capsule), ", ",
                        Name(o.principal), ", ", RoleName(o.role), ")");
  }
  template <typename O, typename R>
  static std::string ById(absl::string_view name, const O& o, R id) {
    return absl::StrCat(name, "(", Name(o.caller), ", ", ToString(o.capsule), ", ", ToString(id),
                        ")");
  }
  template <typename O>
  static std::string ByUuid(absl::string_view name, const O& o) {
    return absl::StrCat(name, "(", Name(o.caller), ", ", ToString(o.capsule), ", ", Quote(o.id),
                        ")");
  }
  template <typename O>
  static std::string List(absl::string_view name, const O& o) {
    return absl::StrCat(name, "(", Name(o.caller), ", ", ToString(o.capsule), ")");
  }
};

// The kind and ordinal of a ref an outcome hands out, if any.
struct NewRef {
  IdKind kind;
  uint32_t n;
};
std::optional<NewRef> RefIn(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::optional<NewRef> {
        using V = std::decay_t<decltype(v)>;
        if constexpr (requires { V::kKind; }) {
          return NewRef{V::kKind, v.n};
        } else {
          return std::nullopt;
        }
      },
      value);
}

}  // namespace

template <IdKind K>
std::string ToString(Ref<K> ref) {
  return absl::StrCat(absl::string_view(&kRefPrefix[static_cast<int>(K)], 1), ref.n);
}
template std::string ToString(CapsuleRef);
template std::string ToString(MemoryRef);
template std::string ToString(SessionRef);
template std::string ToString(BlobRef);

std::string ToString(const Op& op) { return std::visit(OpText{}, op); }

std::string ToString(const Outcome& outcome) {
  if (!outcome.ok()) return std::string(CodeName(outcome.code));
  return std::visit(
      [](const auto& v) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
          return "Ok";
        } else {
          return absl::StrCat("Ok(", Show(v), ")");
        }
      },
      outcome.value);
}

std::string ToString(const State& state) {
  if (state.empty()) return "  (no capsules)\n";
  std::string out;
  for (const CapsuleState& c : state) {
    absl::StrAppend(&out, "  ", ToString(c.id), " subject ", Name(c.subject), " owners [",
                    absl::StrJoin(c.owners, ", "), "] controllers [",
                    absl::StrJoin(c.controllers, ", "), "]\n      memories ", Show(c.memories),
                    "\n      galleries ", Show(c.galleries), "\n      folders ", Show(c.folders),
                    "\n");
  }
  return out;
}

std::string FormatSequence(std::span<const Op> ops, std::span<const Outcome> outcomes) {
  std::array<uint32_t, kIdKindCount> seen{};
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    std::string prefix;
    std::string result;
    if (i < outcomes.size()) {
      if (std::optional<NewRef> ref = RefIn(outcomes[i].value);
          ref && ref->n > seen[static_cast<int>(ref->kind)]) {
        seen[static_cast<int>(ref->kind)] = ref->n;
        prefix = absl::StrCat(absl::string_view(&kRefPrefix[static_cast<int>(ref->kind)], 1),
                              ref->n, " = ");
      }
      result = " -> " + ToString(outcomes[i]);
    }
    absl::StrAppendFormat(&out, "%4d. %6s%s%s\n", i + 1, prefix, ToString(ops[i]), result);
  }
  return out;
}

void PrintTo(const Op& op, std::ostream* os) { *os << ToString(op); }
void PrintTo(const Outcome& outcome, std::ostream* os) { *os << ToString(outcome); }
std::ostream& operator<<(std::ostream& os, const Op& op) { return os << ToString(op); }
std::ostream& operator<<(std::ostream& os, const Outcome& outcome) {
  return os << ToString(outcome);
}

}  // namespace idemcheck
