// The members of trace lines, named once for both directions: the writer emits them and the
// reader expects them, so the two cannot drift apart (docs/traces.md lists the same table).
//
// `Members(x, visit)` calls `visit("name", field)` for each member of an operation, payload,
// listing entry or `Limits`, in the order the writer emits them. `x` may be const (writing) or
// not (reading). The field's type says how its value is spelled:
//
//   std::string                  bytes: a JSON string, or {"base64": "..."} when not UTF-8
//   std::optional<std::string>   bytes or null
//   Ref<K>                       a store-chosen ID (IdSpelling)
//   Role                         "owner" or "controller"
//   uint32_t, uint64_t           a non-negative JSON integer
//   Digest                       a 64-bit digest as 16 hex digits (JSON numbers lose precision
//                                above 2^53 in many languages)
//   payload structs              a nested object of their own members

#ifndef IDEMCHECK_TRACES_TRACE_SCHEMA_H_
#define IDEMCHECK_TRACES_TRACE_SCHEMA_H_

#include <cstdint>
#include <type_traits>
#include <variant>
#include <vector>

#include "idemcheck/ops.h"
#include "idemcheck/values.h"

namespace idemcheck::traces::schema {

// A uint64_t (or const uint64_t) spelled as hex digits.
template <typename T>
struct Digest {
  T& value;
};
template <typename T>
Digest(T&) -> Digest<T>;

template <typename T>
inline constexpr bool kAlwaysFalse = false;

template <typename X, typename Visit>
void Members(X& x, Visit&& visit) {
  using T = std::remove_const_t<X>;
  if constexpr (std::is_same_v<T, op::CreateCapsule>) {
    visit("caller", x.caller);
    visit("subject", x.subject);
  } else if constexpr (std::is_same_v<T, op::Grant> || std::is_same_v<T, op::Revoke>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("principal", x.principal);
    visit("role", x.role);
  } else if constexpr (std::is_same_v<T, op::CreateMemory>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("payload", x.payload);
    visit("key", x.key);
  } else if constexpr (std::is_same_v<T, op::GetMemory> || std::is_same_v<T, op::DeleteMemory>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("memory", x.memory);
  } else if constexpr (std::is_same_v<T, op::ListMemories> ||
                       std::is_same_v<T, op::ListGalleries> || std::is_same_v<T, op::ListFolders>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
  } else if constexpr (std::is_same_v<T, op::CreateGallery> ||
                       std::is_same_v<T, op::CreateFolder>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("id", x.id);
    visit("payload", x.payload);
  } else if constexpr (std::is_same_v<T, op::GetGallery> || std::is_same_v<T, op::DeleteGallery> ||
                       std::is_same_v<T, op::GetFolder> || std::is_same_v<T, op::DeleteFolder>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("id", x.id);
  } else if constexpr (std::is_same_v<T, op::BeginUpload>) {
    visit("caller", x.caller);
    visit("capsule", x.capsule);
    visit("expected_chunks", x.expected_chunks);
    visit("key", x.key);
  } else if constexpr (std::is_same_v<T, op::PutChunk>) {
    visit("caller", x.caller);
    visit("session", x.session);
    visit("index", x.index);
    visit("bytes", x.bytes);
  } else if constexpr (std::is_same_v<T, op::FinishUpload>) {
    visit("caller", x.caller);
    visit("session", x.session);
    visit("total_len", x.total_len);
    visit("digest", Digest{x.digest});
  } else if constexpr (std::is_same_v<T, op::AbortUpload>) {
    visit("caller", x.caller);
    visit("session", x.session);
  } else if constexpr (std::is_same_v<T, op::AdvanceClock>) {
    visit("seconds", x.seconds);
  } else if constexpr (std::is_same_v<T, op::Upgrade>) {
    // No members.
  } else if constexpr (std::is_same_v<T, MemoryPayload>) {
    visit("title", x.title);
    visit("content", x.content);
  } else if constexpr (std::is_same_v<T, GalleryPayload>) {
    visit("title", x.title);
  } else if constexpr (std::is_same_v<T, FolderPayload>) {
    visit("name", x.name);
    visit("parent", x.parent);
  } else if constexpr (std::is_same_v<T, MemoryEntry> || std::is_same_v<T, GalleryEntry> ||
                       std::is_same_v<T, FolderEntry>) {
    // A listing entry: its ID, then its payload's members in the same object.
    visit("id", x.id);
    Members(x.payload, visit);
  } else if constexpr (std::is_same_v<T, Limits>) {
    visit("retention_seconds", x.retention_seconds);
    visit("session_ttl_seconds", x.session_ttl_seconds);
    visit("max_pending_sessions", x.max_pending_sessions);
    visit("max_content_bytes", x.max_content_bytes);
    visit("max_title_bytes", x.max_title_bytes);
    visit("max_chunk_bytes", x.max_chunk_bytes);
    visit("max_expected_chunks", x.max_expected_chunks);
    visit("max_clock_advance_seconds", x.max_clock_advance_seconds);
  } else {
    static_assert(kAlwaysFalse<T>, "no trace members for this type");
  }
}

// The type of the value a successful operation of type `O` returns in an outcome
// (std::monostate: none).
template <typename O>
struct OkValue {
  using type = std::monostate;
};
template <>
struct OkValue<op::CreateCapsule> {
  using type = CapsuleRef;
};
template <>
struct OkValue<op::CreateMemory> {
  using type = MemoryRef;
};
template <>
struct OkValue<op::BeginUpload> {
  using type = SessionRef;
};
template <>
struct OkValue<op::FinishUpload> {
  using type = BlobRef;
};
template <>
struct OkValue<op::GetMemory> {
  using type = MemoryPayload;
};
template <>
struct OkValue<op::GetGallery> {
  using type = GalleryPayload;
};
template <>
struct OkValue<op::GetFolder> {
  using type = FolderPayload;
};
template <>
struct OkValue<op::ListMemories> {
  using type = std::vector<MemoryEntry>;
};
template <>
struct OkValue<op::ListGalleries> {
  using type = std::vector<GalleryEntry>;
};
template <>
struct OkValue<op::ListFolders> {
  using type = std::vector<FolderEntry>;
};

// Member names of the line-level objects.
inline constexpr char kVersionMember[] = "idemcheck_trace";
inline constexpr char kIdsMember[] = "ids";
inline constexpr char kLimitsMember[] = "limits";
inline constexpr char kProducerMember[] = "producer";
inline constexpr char kOpMember[] = "op";
inline constexpr char kOutcomeMember[] = "outcome";
inline constexpr char kCodeMember[] = "code";
inline constexpr char kValueMember[] = "value";
inline constexpr char kMessageMember[] = "message";
inline constexpr char kBase64Member[] = "base64";
// The outcome code of a call that failed before taking effect (TraceStep::unavailable).
inline constexpr char kUnavailableCode[] = "Unavailable";
// Members whose names start with this are extensions: readers ignore them.
inline constexpr char kExtensionPrefix[] = "x-";

inline constexpr char kOrdinalIds[] = "ordinal";
inline constexpr char kRawIds[] = "raw";

}  // namespace idemcheck::traces::schema

#endif  // IDEMCHECK_TRACES_TRACE_SCHEMA_H_
