// The operation language: every operation of SEMANTICS.md and every outcome, in symbolic form.
//
// Producers (generators, the fuzz decoder, the trace reader, scenario tests) build `Op` values;
// a `Driver` (driver.h) executes them on one concrete store. Client-supplied values (principals,
// keys, payloads, gallery and folder UUIDs) are carried as they are. Store-chosen IDs are carried
// as `Ref`s: `MemoryRef{2}` is "the second distinct memory ID this run has seen", whatever the
// store's own value. A ref to an ordinal not yet seen names an ID that was never handed out.
//
// Naming IDs by order of first appearance is what makes E1's renaming concrete: two stores are
// equivalent on a sequence exactly when their symbolic outcomes are equal step by step.

#ifndef IDEMCHECK_OPS_H_
#define IDEMCHECK_OPS_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/values.h"

namespace idemcheck {

enum class IdKind : uint8_t { kCapsule, kMemory, kSession, kBlob };
inline constexpr int kIdKindCount = 4;

// A store-chosen ID by the 1-based order in which the run first saw it. 0 never names a real ID.
template <IdKind K>
struct Ref {
  static constexpr IdKind kKind = K;
  uint32_t n = 0;
  friend bool operator==(Ref, Ref) = default;
};
using CapsuleRef = Ref<IdKind::kCapsule>;
using MemoryRef = Ref<IdKind::kMemory>;
using SessionRef = Ref<IdKind::kSession>;
using BlobRef = Ref<IdKind::kBlob>;

namespace op {

struct CreateCapsule {
  std::string caller;
  std::string subject;
};
struct Grant {
  std::string caller;
  CapsuleRef capsule;
  std::string principal;
  Role role = Role::kOwner;
};
struct Revoke {
  std::string caller;
  CapsuleRef capsule;
  std::string principal;
  Role role = Role::kOwner;
};

struct CreateMemory {
  std::string caller;
  CapsuleRef capsule;
  MemoryPayload payload;
  std::string key;
};
struct GetMemory {
  std::string caller;
  CapsuleRef capsule;
  MemoryRef memory;
};
struct DeleteMemory {
  std::string caller;
  CapsuleRef capsule;
  MemoryRef memory;
};
struct ListMemories {
  std::string caller;
  CapsuleRef capsule;
};

struct CreateGallery {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
  GalleryPayload payload;
};
struct GetGallery {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
};
struct DeleteGallery {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
};
struct ListGalleries {
  std::string caller;
  CapsuleRef capsule;
};

struct CreateFolder {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
  FolderPayload payload;
};
struct GetFolder {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
};
struct DeleteFolder {
  std::string caller;
  CapsuleRef capsule;
  std::string id;
};
struct ListFolders {
  std::string caller;
  CapsuleRef capsule;
};

struct BeginUpload {
  std::string caller;
  CapsuleRef capsule;
  uint32_t expected_chunks = 1;
  std::string key;
};
struct PutChunk {
  std::string caller;
  SessionRef session;
  uint32_t index = 0;
  std::string bytes;
};
struct FinishUpload {
  std::string caller;
  SessionRef session;
  uint64_t total_len = 0;
  uint64_t digest = 0;
};
struct AbortUpload {
  std::string caller;
  SessionRef session;
};

struct AdvanceClock {
  uint64_t seconds = 0;
};
// Serialize the store and restore it into a fresh instance of the same implementation (T2).
struct Upgrade {};

}  // namespace op

using Op = std::variant<op::CreateCapsule, op::Grant, op::Revoke,                             //
                        op::CreateMemory, op::GetMemory, op::DeleteMemory, op::ListMemories,  //
                        op::CreateGallery, op::GetGallery, op::DeleteGallery, op::ListGalleries,
                        op::CreateFolder, op::GetFolder, op::DeleteFolder, op::ListFolders,
                        op::BeginUpload, op::PutChunk, op::FinishUpload, op::AbortUpload,
                        op::AdvanceClock, op::Upgrade>;

// The operation's name as SEMANTICS.md spells it, e.g. "CreateMemory".
absl::string_view OpName(const Op& op);

// Error codes of the contract. Only the code is compared; messages are free text.
// `kOutsideContract` is never correct: it records a store that answered with anything else.
enum class Code : uint8_t {
  kOk,
  kInvalidArgument,
  kNotFound,
  kUnauthorized,
  kConflict,
  kResourceExhausted,
  kCorrupt,
  kOutsideContract,
};
absl::string_view CodeName(Code code);

using MemoryEntry = BasicMemoryEntry<MemoryRef>;
using CapsuleState = BasicCapsuleState<CapsuleRef, MemoryRef>;
// Every capsule in creation order: the observable state of a store, renamed (E1).
using State = std::vector<CapsuleState>;

// What a successful operation returned: nothing, a store-chosen ID, a payload or a listing.
using Value = std::variant<std::monostate, CapsuleRef, MemoryRef, SessionRef, BlobRef,  //
                           MemoryPayload, GalleryPayload, FolderPayload,                //
                           std::vector<MemoryEntry>, std::vector<GalleryEntry>,         //
                           std::vector<FolderEntry>>;

struct Outcome {
  Code code = Code::kOk;
  Value value;          // std::monostate unless code is kOk
  std::string message;  // the store's own words; never compared

  bool ok() const { return code == Code::kOk; }
  // Equal code and equal value: messages do not count.
  friend bool operator==(const Outcome& a, const Outcome& b) {
    return a.code == b.code && a.value == b.value;
  }
};

}  // namespace idemcheck

#endif  // IDEMCHECK_OPS_H_
