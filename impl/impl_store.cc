#include "impl/impl_store.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/values.h"
#include "impl/impl_state.h"
#include "impl/lookup_key.h"

// Every mutating operation has two phases. The first checks (G1-G4) and prepares: it allocates
// whatever the change needs (nodes, copies of strings, reserved capacity in every container it
// will insert into) and calls faults_.Fail() before each such step. The second commits with
// operations that cannot fail: moves, inserts into reserved capacity, pointer updates. So an
// operation that fails, by an injected fault or a real allocation failure, changes nothing (G5).

namespace idemcheck {
namespace {

using impl_internal::Capsule;
using impl_internal::FolderNode;
using impl_internal::GalleryNode;
using impl_internal::IntrusiveList;
using impl_internal::KeyBytes;
using impl_internal::MemoryNode;
using impl_internal::MemoryRecord;
using impl_internal::NamedIndex;
using impl_internal::NamedNode;
using impl_internal::ScopedKey;
using impl_internal::Session;
using impl_internal::SessionBegin;
using impl_internal::SessionState;
using impl_internal::StoreState;
using impl_internal::SubjectOwnerKey;
using impl_internal::Uuid;

absl::Status CheckCaller(absl::string_view caller) {
  if (!IsValidPrincipal(caller)) return absl::InvalidArgumentError("malformed caller");
  return absl::OkStatus();
}

absl::Status CheckUuid(absl::string_view id) {
  if (!IsValidUuid(id)) return absl::InvalidArgumentError("ID is not a canonical lowercase UUID");
  return absl::OkStatus();
}

absl::Status CheckTitle(absl::string_view title, const Limits& limits) {
  if (title.size() > limits.max_title_bytes) return absl::InvalidArgumentError("title too long");
  return absl::OkStatus();
}

bool SortedContains(const std::vector<std::string>& sorted, absl::string_view name) {
  return std::binary_search(sorted.begin(), sorted.end(), name,
                            [](absl::string_view a, absl::string_view b) { return a < b; });
}

// A1: owners and controllers, nobody else.
bool HasAccess(const Capsule& capsule, absl::string_view principal) {
  return SortedContains(capsule.owners, principal) ||
         SortedContains(capsule.controllers, principal);
}

// Room for one more element without a reallocation, growing geometrically (reserve(size() + 1)
// alone would grow one element at a time).
template <typename T>
void ReserveOneMore(std::vector<T>& v) {
  if (v.size() == v.capacity()) v.reserve(std::max<size_t>(4, 2 * v.capacity()));
}

uint64_t WeakLookupHash(absl::string_view bytes) { return Fnv1a64(bytes) & 0xF; }

}  // namespace

ImplStore::ImplStore(const StoreOptions& options)
    : options_(options),
      state_(std::make_unique<StoreState>(
          options.limits, options.lookup_hash != nullptr ? options.lookup_hash
                                                         : &impl_internal::DefaultLookupHash)) {}

ImplStore::~ImplStore() = default;

void ImplStore::ArmFault(uint64_t step) { faults_.Arm(step); }
bool ImplStore::FaultFired() const { return faults_.fired(); }

namespace {

// G2, G3 for operations on one capsule.
absl::StatusOr<Capsule*> CheckCapsuleAccess(const StoreState& state, absl::string_view caller,
                                            StoreId capsule) {
  Capsule* c = state.FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");
  if (!HasAccess(*c, caller)) return absl::PermissionDeniedError("no access");
  return c;
}

}  // namespace

// ---- Capsules and access -------------------------------------------------------------------

absl::StatusOr<StoreId> ImplStore::CreateCapsule(absl::string_view caller,
                                                 absl::string_view subject) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  if (!IsValidPrincipal(subject) || subject == kAnonymous) {       // C2
    return absl::InvalidArgumentError("malformed or anonymous subject");
  }
  if (caller == kAnonymous) return absl::PermissionDeniedError("anonymous caller");  // C2

  // C1: the oldest capsule of this subject that lists the caller among its owners.
  const KeyBytes key = SubjectOwnerKey(subject, caller);
  if (auto it = s.capsules_by_owner.find(key.view()); it != s.capsules_by_owner.end()) {
    return it->second.front();
  }

  const StoreId id = s.last_capsule + 1;
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  auto capsule = std::make_unique<Capsule>();
  capsule->id = id;
  capsule->subject = std::string(subject);
  capsule->owners.emplace_back(caller);
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  std::string stored_key(key.view());
  std::vector<StoreId> owned{id};
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  ReserveOneMore(s.capsules);
  s.capsules_by_owner.reserve(s.capsules_by_owner.size() + 1);

  s.capsules.push_back(std::move(capsule));
  s.capsules_by_owner.emplace(std::move(stored_key), std::move(owned));
  s.last_capsule = id;
  return id;
}

absl::Status ImplStore::Grant(absl::string_view caller, StoreId capsule,
                              absl::string_view principal, Role role) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  if (!IsValidPrincipal(principal) || principal == kAnonymous) {   // A2
    return absl::InvalidArgumentError("role holder must be a non-anonymous principal");
  }
  Capsule* c = s.FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");  // G2
  if (!SortedContains(c->owners, caller)) {
    return absl::PermissionDeniedError("only owners grant");  // A2
  }
  std::vector<std::string>& holders = role == Role::kOwner ? c->owners : c->controllers;
  if (SortedContains(holders, principal)) return absl::OkStatus();  // A2: held is Ok

  if (faults_.Fail()) return FaultSchedule::Unavailable();
  std::string holder(principal);
  ReserveOneMore(holders);
  // C1: a new owner may now be answered with this capsule.
  std::vector<StoreId>* owned = nullptr;
  std::string new_key;
  std::vector<StoreId> new_owned;
  if (role == Role::kOwner) {
    const KeyBytes key = SubjectOwnerKey(c->subject, principal);
    if (faults_.Fail()) return FaultSchedule::Unavailable();
    if (auto it = s.capsules_by_owner.find(key.view()); it != s.capsules_by_owner.end()) {
      owned = &it->second;
      ReserveOneMore(*owned);
    } else {
      new_key = std::string(key.view());
      new_owned.push_back(capsule);
      s.capsules_by_owner.reserve(s.capsules_by_owner.size() + 1);
    }
  }

  holders.insert(std::lower_bound(holders.begin(), holders.end(), holder), std::move(holder));
  if (owned != nullptr) {
    owned->insert(std::lower_bound(owned->begin(), owned->end(), capsule), capsule);
  } else if (role == Role::kOwner) {
    s.capsules_by_owner.emplace(std::move(new_key), std::move(new_owned));
  }
  return absl::OkStatus();
}

absl::Status ImplStore::Revoke(absl::string_view caller, StoreId capsule,
                               absl::string_view principal, Role role) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  if (!IsValidPrincipal(principal) || principal == kAnonymous) {   // A2 (docs/semantics.md)
    return absl::InvalidArgumentError("role holder must be a non-anonymous principal");
  }
  Capsule* c = s.FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");  // G2
  if (!SortedContains(c->owners, caller)) {
    return absl::PermissionDeniedError("only owners revoke");  // A2
  }
  std::vector<std::string>& holders = role == Role::kOwner ? c->owners : c->controllers;
  if (!SortedContains(holders, principal)) return absl::OkStatus();  // A2: not held is Ok
  if (role == Role::kOwner && c->owners.size() == 1) {
    return absl::AbortedError("cannot revoke the last owner");  // A2
  }

  if (faults_.Fail()) return FaultSchedule::Unavailable();
  holders.erase(std::lower_bound(holders.begin(), holders.end(), principal,
                                 [](absl::string_view a, absl::string_view b) { return a < b; }));
  if (role == Role::kOwner) {  // C1: no longer answered with this capsule
    auto it = s.capsules_by_owner.find(SubjectOwnerKey(c->subject, principal).view());
    std::vector<StoreId>& owned = it->second;
    owned.erase(std::lower_bound(owned.begin(), owned.end(), capsule));
    if (owned.empty()) s.capsules_by_owner.erase(it);
  }
  return absl::OkStatus();
}

// ---- Memories ------------------------------------------------------------------------------

absl::StatusOr<StoreId> ImplStore::CreateMemory(absl::string_view caller, StoreId capsule,
                                                const MemoryPayload& payload,
                                                absl::string_view key) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  // G1
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;
  if (absl::Status st = CheckTitle(payload.title, s.limits); !st.ok()) return st;
  if (payload.content.size() > s.limits.max_content_bytes) {
    return absl::InvalidArgumentError("content too long");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  // G2, G3
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(s, caller, capsule);
  if (!found.ok()) return found.status();
  Capsule& c = **found;

  // G4, M4-M6: the record of (capsule, caller, key), found without allocating and confirmed by
  // comparing the full key (M9). A caller never interned has no record.
  if (!key.empty()) {
    if (std::optional<uint32_t> caller_number = s.principals.Find(caller)) {
      auto it = s.memory_keys.find(ScopedKey{capsule, *caller_number, key});
      if (it != s.memory_keys.end()) {
        const MemoryNode& recorded = *(*it)->memory;
        if (recorded.payload == payload) return recorded.id;  // M4, and M7 even if deleted
        return absl::AbortedError("key reused with a different payload");  // M5
      }
    }
  }

  // M2, M3: a fresh ID.
  const StoreId id = s.last_memory + 1;
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  auto memory = std::make_unique<MemoryNode>();
  memory->id = id;
  memory->capsule = capsule;
  memory->payload = payload;
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  c.memories.reserve(c.memories.size() + 1);
  if (!key.empty()) {
    if (faults_.Fail()) return FaultSchedule::Unavailable();
    const uint32_t caller_number = s.principals.Intern(caller);
    if (faults_.Fail()) return FaultSchedule::Unavailable();
    auto key_bytes = std::make_unique<char[]>(key.size());
    std::memcpy(key_bytes.get(), key.data(), key.size());
    if (faults_.Fail()) return FaultSchedule::Unavailable();
    s.memory_keys.reserve(s.memory_keys.size() + 1);
    // The last fallible step: a deque append either happens or changes nothing.
    if (faults_.Fail()) return FaultSchedule::Unavailable();
    s.memory_records.push_back(MemoryRecord{.memory = memory.get(),
                                            .created_at = s.now,
                                            .key = std::move(key_bytes),
                                            .caller = caller_number,
                                            .key_size = static_cast<uint8_t>(key.size())});
    s.memory_keys.insert(&s.memory_records.back());
    memory->has_record = true;
  }
  MemoryNode* listed = memory.get();
  c.memories.emplace(id, std::move(memory));
  c.live_memories.PushBack(listed);
  s.last_memory = id;
  s.Purge();  // a retention window of zero seconds closes at once
  return id;
}

absl::StatusOr<MemoryPayload> ImplStore::GetMemory(absl::string_view caller, StoreId capsule,
                                                   StoreId memory) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  auto it = (*found)->memories.find(memory);
  if (it == (*found)->memories.end() || it->second->deleted) {
    return absl::NotFoundError("no such memory in this capsule");  // R1
  }
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  return it->second->payload;
}

absl::Status ImplStore::DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  Capsule& c = **found;
  auto it = c.memories.find(memory);  // R2: in this capsule only
  if (it == c.memories.end() || it->second->deleted) {
    return absl::NotFoundError("no such memory in this capsule");  // R2: a second delete
  }
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  MemoryNode& node = *it->second;
  c.live_memories.Remove(&node);
  node.deleted = true;
  if (!node.has_record) c.memories.erase(it);  // M7: otherwise kept for the record's retries
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredMemory>> ImplStore::ListMemories(absl::string_view caller,
                                                                  StoreId capsule) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  std::vector<StoredMemory> listed;  // R3: creation order
  const IntrusiveList<MemoryNode>& live = (*found)->live_memories;
  for (const MemoryNode* m = live.front(); m != nullptr; m = live.next(m)) {
    listed.push_back({m->id, m->payload});
  }
  return listed;
}

// ---- Galleries and folders -----------------------------------------------------------------

namespace {

template <typename Payload>
IntrusiveList<NamedNode<Payload>>& ListingOf(Capsule& capsule);
template <>
IntrusiveList<GalleryNode>& ListingOf<GalleryPayload>(Capsule& capsule) {
  return capsule.galleries;
}
template <>
IntrusiveList<FolderNode>& ListingOf<FolderPayload>(Capsule& capsule) {
  return capsule.folders;
}

template <typename Payload>
NamedIndex<Payload>& IndexOf(StoreState& state);
template <>
NamedIndex<GalleryPayload>& IndexOf<GalleryPayload>(StoreState& state) {
  return state.galleries;
}
template <>
NamedIndex<FolderPayload>& IndexOf<FolderPayload>(StoreState& state) {
  return state.folders;
}

template <typename Payload>
std::deque<NamedNode<Payload>*>& TombstonesOf(StoreState& state);
template <>
std::deque<GalleryNode*>& TombstonesOf<GalleryPayload>(StoreState& state) {
  return state.gallery_tombstones;
}
template <>
std::deque<FolderNode*>& TombstonesOf<FolderPayload>(StoreState& state) {
  return state.folder_tombstones;
}

// A live entity of `id` in `capsule`, or nullptr (R1, R2: tombstones and other capsules' entities
// are not found).
template <typename Payload>
NamedNode<Payload>* FindLiveNamed(StoreState& state, StoreId capsule, absl::string_view id) {
  NamedIndex<Payload>& index = IndexOf<Payload>(state);
  auto it = index.find(Uuid::Parse(id));
  if (it == index.end() || it->second->deleted || it->second->capsule != capsule) return nullptr;
  return it->second.get();
}

}  // namespace

template <typename Payload>
absl::Status ImplStore::CreateNamed(Capsule& capsule, absl::string_view id,
                                    const Payload& payload) {
  NamedIndex<Payload>& index = IndexOf<Payload>(*state_);
  const Uuid uuid = Uuid::Parse(id);
  // F1: IDs are global per kind; the index holds live entities and live tombstones.
  if (auto it = index.find(uuid); it != index.end()) {
    const NamedNode<Payload>& held = *it->second;
    if (held.capsule == capsule.id && held.payload == payload) return absl::OkStatus();  // F3, F4
    return absl::AbortedError("ID is taken by another capsule or payload");              // F3, F4
  }
  // F2
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  auto node = std::make_unique<NamedNode<Payload>>();
  node->id = uuid;
  node->capsule = capsule.id;
  node->payload = payload;
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  index.reserve(index.size() + 1);

  NamedNode<Payload>* listed = node.get();
  index.emplace(uuid, std::move(node));
  ListingOf<Payload>(capsule).PushBack(listed);
  return absl::OkStatus();
}

template <typename Payload>
absl::StatusOr<Payload> ImplStore::GetNamed(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  if (absl::Status st = CheckUuid(id); !st.ok()) return st;
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  const NamedNode<Payload>* node = FindLiveNamed<Payload>(*state_, capsule, id);
  if (node == nullptr) return absl::NotFoundError("no such entity in this capsule");  // R1
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  return node->payload;
}

template <typename Payload>
absl::Status ImplStore::DeleteNamed(absl::string_view caller, StoreId capsule,
                                    absl::string_view id) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  if (absl::Status st = CheckUuid(id); !st.ok()) return st;
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(s, caller, capsule);
  if (!found.ok()) return found.status();
  NamedNode<Payload>* node = FindLiveNamed<Payload>(s, capsule, id);  // R2: this capsule only
  if (node == nullptr) return absl::NotFoundError("no such entity in this capsule");
  // F4: the tombstone keeps the ID for the retention window. The append is the only fallible
  // step and comes first.
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  TombstonesOf<Payload>(s).push_back(node);
  ListingOf<Payload>(**found).Remove(node);
  node->deleted = true;
  node->deleted_at = s.now;
  s.Purge();  // a retention window of zero seconds closes at once
  return absl::OkStatus();
}

template <typename Entry, typename Payload>
absl::StatusOr<std::vector<Entry>> ImplStore::ListNamed(absl::string_view caller, StoreId capsule) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  std::vector<Entry> listed;  // R3: creation order
  const IntrusiveList<NamedNode<Payload>>& live = ListingOf<Payload>(**found);
  for (const NamedNode<Payload>* e = live.front(); e != nullptr; e = live.next(e)) {
    listed.push_back({e->id.ToString(), e->payload});
  }
  return listed;
}

absl::Status ImplStore::CreateGallery(absl::string_view caller, StoreId capsule,
                                      absl::string_view id, const GalleryPayload& payload) {
  FaultSchedule::Operation operation(faults_);
  // G1
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;
  if (absl::Status st = CheckUuid(id); !st.ok()) return st;
  if (absl::Status st = CheckTitle(payload.title, state_->limits); !st.ok()) return st;
  // G2, G3
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(*state_, caller, capsule);
  if (!found.ok()) return found.status();
  return CreateNamed(**found, id, payload);
}

absl::StatusOr<GalleryPayload> ImplStore::GetGallery(absl::string_view caller, StoreId capsule,
                                                     absl::string_view id) {
  return GetNamed<GalleryPayload>(caller, capsule, id);
}

absl::Status ImplStore::DeleteGallery(absl::string_view caller, StoreId capsule,
                                      absl::string_view id) {
  return DeleteNamed<GalleryPayload>(caller, capsule, id);
}

absl::StatusOr<std::vector<GalleryEntry>> ImplStore::ListGalleries(absl::string_view caller,
                                                                   StoreId capsule) {
  return ListNamed<GalleryEntry, GalleryPayload>(caller, capsule);
}

absl::Status ImplStore::CreateFolder(absl::string_view caller, StoreId capsule,
                                     absl::string_view id, const FolderPayload& payload) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  // G1
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;
  if (absl::Status st = CheckUuid(id); !st.ok()) return st;
  if (absl::Status st = CheckTitle(payload.name, s.limits); !st.ok()) return st;
  if (payload.parent.has_value()) {
    if (absl::Status st = CheckUuid(*payload.parent); !st.ok()) return st;
  }
  // G2, G3
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(s, caller, capsule);
  if (!found.ok()) return found.status();
  // G4 before F5: a replay succeeds even if the parent has since gone (docs/semantics.md).
  const bool id_held = s.folders.contains(Uuid::Parse(id));
  if (!id_held && payload.parent.has_value() &&
      FindLiveNamed<FolderPayload>(s, capsule, *payload.parent) == nullptr) {
    return absl::InvalidArgumentError("parent is not a live folder in this capsule");  // F5
  }
  return CreateNamed(**found, id, payload);
}

absl::StatusOr<FolderPayload> ImplStore::GetFolder(absl::string_view caller, StoreId capsule,
                                                   absl::string_view id) {
  return GetNamed<FolderPayload>(caller, capsule, id);
}

absl::Status ImplStore::DeleteFolder(absl::string_view caller, StoreId capsule,
                                     absl::string_view id) {
  return DeleteNamed<FolderPayload>(caller, capsule, id);
}

absl::StatusOr<std::vector<FolderEntry>> ImplStore::ListFolders(absl::string_view caller,
                                                                StoreId capsule) {
  return ListNamed<FolderEntry, FolderPayload>(caller, capsule);
}

// ---- Uploads -------------------------------------------------------------------------------

absl::StatusOr<StoreId> ImplStore::BeginUpload(absl::string_view caller, StoreId capsule,
                                               uint32_t expected_chunks, absl::string_view key) {
  FaultSchedule::Operation operation(faults_);
  StoreState& s = *state_;
  // G1
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;
  if (expected_chunks < 1 || expected_chunks > s.limits.max_expected_chunks) {
    return absl::InvalidArgumentError("expected chunks out of range");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  // G2, G3
  absl::StatusOr<Capsule*> found = CheckCapsuleAccess(s, caller, capsule);
  if (!found.ok()) return found.status();
  Capsule& c = **found;

  const std::optional<uint32_t> known_caller = s.principals.Find(caller);
  // U1: a live record, pending or committed, is replayed and never reset.
  if (!key.empty() && known_caller.has_value()) {
    auto it = s.session_keys.find(ScopedKey{capsule, *known_caller, key});
    if (it != s.session_keys.end()) {
      if ((*it)->expected_chunks == expected_chunks) return (*it)->id;
      return absl::AbortedError("key reused with different expected chunks");
    }
  }
  // U2: only a new session counts against the limit.
  uint32_t pending = 0;
  if (known_caller.has_value()) {
    auto it = c.pending_sessions.find(*known_caller);
    if (it != c.pending_sessions.end()) pending = it->second;
  }
  if (pending >= s.limits.max_pending_sessions) {
    return absl::ResourceExhaustedError("too many pending upload sessions");
  }

  const StoreId id = s.last_session + 1;
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  const uint32_t caller_number = s.principals.Intern(caller);
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  auto session = std::make_unique<Session>();
  session->id = id;
  session->capsule = capsule;
  session->caller = caller_number;
  session->expected_chunks = expected_chunks;
  session->begun_at = s.now;
  session->key = std::string(key);
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  s.sessions.reserve(s.sessions.size() + 1);
  if (!key.empty()) s.session_keys.reserve(s.session_keys.size() + 1);
  c.pending_sessions.reserve(c.pending_sessions.size() + 1);
  // The last fallible step: a deque append either happens or changes nothing.
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  s.session_begins.push_back(SessionBegin{id, s.now});

  Session* begun = session.get();
  s.sessions.emplace(id, std::move(session));
  if (!key.empty()) {
    s.session_keys.insert(begun);
    begun->key_indexed = true;
  }
  ++c.pending_sessions[caller_number];
  s.last_session = id;
  s.Purge();  // a TTL of zero seconds closes at once
  return id;
}

absl::StatusOr<Session*> ImplStore::CheckSession(absl::string_view caller, StoreId session) {
  StoreState& s = *state_;
  auto it = s.sessions.find(session);
  if (it == s.sessions.end()) return absl::NotFoundError("no such upload session");  // U3, U5, U6
  Session& found = *it->second;
  const std::optional<uint32_t> caller_number = s.principals.Find(caller);
  if (caller_number != found.caller || !HasAccess(*s.FindCapsule(found.capsule), caller)) {
    return absl::PermissionDeniedError("not this session's caller, or no write access");
  }
  return &found;
}

absl::Status ImplStore::PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                                 absl::string_view bytes) {
  FaultSchedule::Operation operation(faults_);
  // G1
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;
  if (bytes.empty() || bytes.size() > state_->limits.max_chunk_bytes) {
    return absl::InvalidArgumentError("chunk size out of range");
  }
  absl::StatusOr<Session*> found = CheckSession(caller, session);
  if (!found.ok()) return found.status();
  Session& upload = **found;
  if (index >= upload.expected_chunks)
    return absl::InvalidArgumentError("index out of range");  // U3
  if (auto chunk = upload.chunks.find(index); chunk != upload.chunks.end()) {
    if (chunk->second == bytes) return absl::OkStatus();  // U3: an exact repeat, also after commit
    return absl::AbortedError("chunk already received with other bytes");
  }
  if (upload.state == SessionState::kCommitted) {
    return absl::AbortedError("session already committed");  // U3
  }
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  std::string copy(bytes);
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  upload.chunks.reserve(upload.chunks.size() + 1);
  upload.chunks.emplace(index, std::move(copy));
  return absl::OkStatus();
}

absl::StatusOr<StoreId> ImplStore::FinishUpload(absl::string_view caller, StoreId session,
                                                uint64_t total_len, uint64_t digest) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Session*> found = CheckSession(caller, session);
  if (!found.ok()) return found.status();
  Session& upload = **found;
  if (upload.state == SessionState::kCommitted) {  // U4: a retry replays the blob
    if (upload.total_len == total_len && upload.digest == digest) return upload.blob;
    return absl::AbortedError("session committed with another length or digest");
  }
  // U4: every chunk present (indexes are below expected, so a full count means all of them),
  // and length and digest match the bytes in index order.
  if (upload.chunks.size() != upload.expected_chunks)
    return absl::InvalidArgumentError("missing chunks");
  uint64_t length = 0;
  uint64_t fnv = kFnv1a64Offset;
  for (uint32_t i = 0; i < upload.expected_chunks; ++i) {
    const std::string& chunk = upload.chunks.find(i)->second;
    length += chunk.size();
    fnv = Fnv1a64(chunk, fnv);
  }
  if (length != total_len) return absl::InvalidArgumentError("length does not match the chunks");
  if (fnv != digest) return absl::InvalidArgumentError("digest does not match the chunks");

  if (faults_.Fail()) return FaultSchedule::Unavailable();
  state_->ReleasePendingSlot(upload);
  upload.state = SessionState::kCommitted;
  upload.blob = ++state_->last_blob;
  upload.total_len = total_len;
  upload.digest = digest;
  state_->ReleaseKeyIfPastRetention(upload);  // only when the TTL outlasts the retention window
  return upload.blob;
}

absl::Status ImplStore::AbortUpload(absl::string_view caller, StoreId session) {
  FaultSchedule::Operation operation(faults_);
  if (absl::Status st = CheckCaller(caller); !st.ok()) return st;  // G1
  absl::StatusOr<Session*> found = CheckSession(caller, session);
  if (!found.ok()) return found.status();
  if ((*found)->state == SessionState::kCommitted) {
    return absl::AbortedError("session already committed");  // U5
  }
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  state_->RemovePendingSession(**found);  // U5: gone, and its key released
  return absl::OkStatus();
}

// ---- Clock, upgrade and observation --------------------------------------------------------

absl::Status ImplStore::AdvanceClock(uint64_t seconds) {
  FaultSchedule::Operation operation(faults_);
  if (seconds > state_->limits.max_clock_advance_seconds) {  // T1
    return absl::InvalidArgumentError(
        absl::StrCat("clock advance above ", state_->limits.max_clock_advance_seconds, " seconds"));
  }
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  state_->now += seconds;
  state_->Purge();
  return absl::OkStatus();
}

absl::Status ImplStore::Upgrade() {
  FaultSchedule::Operation operation(faults_);
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  const std::string bytes = Snapshot();
  if (faults_.Fail()) return FaultSchedule::Unavailable();
  absl::StatusOr<std::unique_ptr<ImplStore>> restored = Restore(bytes, options_);
  if (!restored.ok()) {
    return absl::InternalError(
        absl::StrCat("upgrade could not restore its own snapshot: ", restored.status().message()));
  }
  state_ = std::move((*restored)->state_);
  return absl::OkStatus();
}

std::vector<CapsuleView> ImplStore::Observe() const {
  std::vector<CapsuleView> views;
  views.reserve(state_->capsules.size());
  for (const std::unique_ptr<Capsule>& c : state_->capsules) {
    CapsuleView view{
        .id = c->id, .subject = c->subject, .owners = c->owners, .controllers = c->controllers};
    for (const MemoryNode* m = c->live_memories.front(); m != nullptr;
         m = c->live_memories.next(m)) {
      view.memories.push_back({m->id, m->payload});
    }
    for (const GalleryNode* g = c->galleries.front(); g != nullptr; g = c->galleries.next(g)) {
      view.galleries.push_back({g->id.ToString(), g->payload});
    }
    for (const FolderNode* f = c->folders.front(); f != nullptr; f = c->folders.next(f)) {
      view.folders.push_back({f->id.ToString(), f->payload});
    }
    views.push_back(std::move(view));
  }
  return views;
}

IDEMCHECK_REGISTER_STORE(impl,
                         {
                             .name = "impl",
                             .kind = StoreKind::kImplementation,
                             .description = "the optimized store: hash indexes, expiry "
                                            "queues, snapshots that survive upgrade",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ImplStore>(options);
                             },
                         });

IDEMCHECK_REGISTER_STORE(impl_weak_hash,
                         {
                             .name = "impl/weak-hash",
                             .kind = StoreKind::kImplementation,
                             .description = "impl with a 4-bit lookup hash: every idempotency "
                                            "index collides (M9)",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               StoreOptions weak = options;
                               weak.lookup_hash = &WeakLookupHash;
                               return std::make_unique<ImplStore>(weak);
                             },
                         });

}  // namespace idemcheck
