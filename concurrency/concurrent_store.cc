#include "concurrency/concurrent_store.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace idemcheck {
namespace {

bool Contains(const std::vector<std::string>& list, absl::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> Sorted(std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  return list;
}

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

// Every shard's mutex, in index order: the one way to hold them all.
template <typename Shards>
std::vector<std::unique_lock<std::mutex>> LockAll(Shards& shards) {
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(shards.size());
  for (auto& shard : shards) locks.emplace_back(shard.mu);
  return locks;
}

}  // namespace

ConcurrentStore::ConcurrentStore(const StoreOptions& options, ConcurrentStoreTuning tuning)
    : limits_(options.limits),
      hash_(options.lookup_hash),
      split_memory_check_and_insert_(tuning.split_memory_check_and_insert),
      shards_(std::max<size_t>(tuning.shards, 1)),
      subjects_(std::max<size_t>(tuning.stripes, 1)),
      galleries_(std::max<size_t>(tuning.stripes, 1)),
      folders_(std::max<size_t>(tuning.stripes, 1)) {}

// A weak lookup hash (M9 tests) only crowds the stripes: the maps behind them compare full IDs.
size_t ConcurrentStore::StripeOf(absl::string_view text) const {
  const uint64_t h = hash_ != nullptr ? hash_(text) : absl::Hash<absl::string_view>{}(text);
  return h % subjects_.size();
}

StoreId ConcurrentStore::NextLocalId(size_t shard) {
  return ++shards_[shard].last_local * shards_.size() + shard;
}

// ---- Capsules and access -------------------------------------------------------------------

absl::StatusOr<ConcurrentStore::Capsule*> ConcurrentStore::CheckCapsuleAccess(
    Shard& shard, absl::string_view caller, StoreId capsule) {
  auto it = shard.capsules.find(capsule);
  if (it == shard.capsules.end()) return absl::NotFoundError("no such capsule");  // G2
  Capsule& c = it->second;
  if (!Contains(c.owners, caller) && !Contains(c.controllers, caller)) {  // A1
    return absl::PermissionDeniedError("no access");                      // G3
  }
  return &c;
}

absl::StatusOr<StoreId> ConcurrentStore::CreateCapsule(absl::string_view caller,
                                                       absl::string_view subject) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (!IsValidPrincipal(subject) || subject == kAnonymous) {    // C2
    return absl::InvalidArgumentError("malformed or anonymous subject");
  }
  if (caller == kAnonymous) return absl::PermissionDeniedError("anonymous caller");  // C2
  // C1 is atomic per subject: the subject's stripe is held from the lookup to the insert, and
  // every change of owners of a capsule with this subject holds it too.
  SubjectStripe& stripe = subjects_[StripeOf(subject)];
  std::lock_guard<std::mutex> subject_lock(stripe.mu);
  std::vector<StoreId>& same_subject = stripe.capsules[subject];
  for (StoreId id : same_subject) {
    Shard& shard = shards_[ShardOf(id)];
    std::lock_guard<std::mutex> lock(shard.mu);
    if (Contains(shard.capsules.at(id).owners, caller)) return id;  // C1: the oldest
  }
  const StoreId id = ++last_capsule_;
  Shard& shard = shards_[ShardOf(id)];
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.capsules.emplace(
        id, Capsule{.id = id, .subject = std::string(subject), .owners = {std::string(caller)}});
  }
  same_subject.push_back(id);
  return id;
}

absl::Status ConcurrentStore::ChangeRole(absl::string_view caller, StoreId capsule,
                                         absl::string_view principal, Role role, bool grant) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;    // G1
  if (!IsValidPrincipal(principal) || principal == kAnonymous) {  // A2
    return absl::InvalidArgumentError("role holder must be a non-anonymous principal");
  }
  Shard& shard = shards_[ShardOf(capsule)];
  // Owners decide C1, so a change of owners holds the subject's stripe first (lock order). A
  // capsule's subject never changes, so it may be read before taking the stripe.
  std::unique_lock<std::mutex> subject_lock;
  if (role == Role::kOwner) {
    std::string subject;
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      auto it = shard.capsules.find(capsule);
      if (it == shard.capsules.end()) return absl::NotFoundError("no such capsule");  // G2
      subject = it->second.subject;
    }
    subject_lock = std::unique_lock<std::mutex>(subjects_[StripeOf(subject)].mu);
  }
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.capsules.find(capsule);
  if (it == shard.capsules.end()) return absl::NotFoundError("no such capsule");  // G2
  Capsule& c = it->second;
  if (!Contains(c.owners, caller)) {
    return absl::PermissionDeniedError("only owners grant or revoke");  // A2
  }
  std::vector<std::string>& holders = role == Role::kOwner ? c.owners : c.controllers;
  const bool held = Contains(holders, principal);
  if (grant) {
    if (!held) holders.emplace_back(principal);  // A2: granting what is held is Ok
    return absl::OkStatus();
  }
  if (!held) return absl::OkStatus();  // A2: revoking what is not held is Ok
  if (role == Role::kOwner && c.owners.size() == 1) {
    return absl::AbortedError("cannot revoke the last owner");  // A2
  }
  holders.erase(std::find(holders.begin(), holders.end(), principal));
  return absl::OkStatus();
}

absl::Status ConcurrentStore::Grant(absl::string_view caller, StoreId capsule,
                                    absl::string_view principal, Role role) {
  return ChangeRole(caller, capsule, principal, role, /*grant=*/true);
}

absl::Status ConcurrentStore::Revoke(absl::string_view caller, StoreId capsule,
                                     absl::string_view principal, Role role) {
  return ChangeRole(caller, capsule, principal, role, /*grant=*/false);
}

// ---- Memories ------------------------------------------------------------------------------

bool ConcurrentStore::IsLive(const MemoryRecord& record) const {
  return now_ - record.created_at < limits_.retention_seconds;  // M8
}

absl::StatusOr<StoreId> ConcurrentStore::InsertMemory(Capsule& capsule, size_t shard,
                                                      absl::string_view caller,
                                                      const MemoryPayload& payload,
                                                      absl::string_view key) {
  const StoreId id = NextLocalId(shard);  // M2, M3: a fresh ID
  capsule.memory_at.emplace(id, capsule.memories.size());
  capsule.memories.push_back(Memory{.id = id, .payload = payload});
  if (!key.empty()) {
    capsule.memory_records.insert_or_assign(RecordKey(caller, key),
                                            MemoryRecord{payload, id, now_});
  }
  return id;
}

absl::StatusOr<StoreId> ConcurrentStore::CreateMemory(absl::string_view caller, StoreId capsule,
                                                      const MemoryPayload& payload,
                                                      absl::string_view key) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.title, limits_); !s.ok()) return s;
  if (payload.content.size() > limits_.max_content_bytes) {
    return absl::InvalidArgumentError("content too long");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  const size_t s = ShardOf(capsule);
  Shard& shard = shards_[s];
  std::unique_lock<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);  // G2, G3
  if (!c.ok()) return c.status();
  // G4, M4-M6: the record is scoped to (capsule, caller, key); M2: no key, no record.
  if (!key.empty()) {
    auto it = (*c)->memory_records.find(RecordKey(caller, key));
    if (it != (*c)->memory_records.end() && IsLive(it->second)) {
      if (it->second.payload == payload) return it->second.memory;       // M4, M7
      return absl::AbortedError("key reused with a different payload");  // M5
    }
    if (split_memory_check_and_insert_) {
      lock.unlock();
      std::this_thread::yield();  // the gap between the two round trips
      lock.lock();
      c = CheckCapsuleAccess(shard, caller, capsule);
      if (!c.ok()) return c.status();
    }
  }
  return InsertMemory(**c, s, caller, payload, key);
}

absl::StatusOr<MemoryPayload> ConcurrentStore::GetMemory(absl::string_view caller, StoreId capsule,
                                                         StoreId memory) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  auto it = (*c)->memory_at.find(memory);
  if (it != (*c)->memory_at.end() && !(*c)->memories[it->second].deleted) {  // R1
    return (*c)->memories[it->second].payload;
  }
  return absl::NotFoundError("no such memory in this capsule");
}

absl::Status ConcurrentStore::DeleteMemory(absl::string_view caller, StoreId capsule,
                                           StoreId memory) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  auto it = (*c)->memory_at.find(memory);
  if (it == (*c)->memory_at.end() || (*c)->memories[it->second].deleted) {
    return absl::NotFoundError("no such memory in this capsule");  // R2
  }
  (*c)->memories[it->second].deleted = true;  // M7: the record stays
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredMemory>> ConcurrentStore::ListMemories(absl::string_view caller,
                                                                        StoreId capsule) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  std::vector<StoredMemory> listed;  // R3: creation order
  for (const Memory& m : (*c)->memories) {
    if (!m.deleted) listed.push_back({m.id, m.payload});
  }
  return listed;
}

// ---- Galleries and folders -----------------------------------------------------------------

template <typename Payload>
bool ConcurrentStore::HoldsId(const Named<Payload>& entity) const {
  return !entity.deleted || now_ - entity.deleted_at < limits_.retention_seconds;  // F4
}

// Called with the capsule's shard and the ID's stripe held.
template <typename Payload>
absl::Status ConcurrentStore::CreateNamed(NamedStripe<Payload>& stripe,
                                          NamedList<Payload> Capsule::*list, Capsule& capsule,
                                          absl::string_view id, const Payload& payload) {
  auto held = stripe.holders.find(id);
  if (held != stripe.holders.end() && HoldsId(*held->second)) {
    const Named<Payload>& e = *held->second;
    if (e.capsule == capsule.id && e.payload == payload) return absl::OkStatus();  // F3, F4
    return absl::AbortedError("ID is taken by another capsule or payload");        // F3, F4
  }
  auto entity = std::make_shared<Named<Payload>>(
      Named<Payload>{.id = std::string(id), .capsule = capsule.id, .payload = payload});  // F2
  stripe.holders.insert_or_assign(std::string(id), entity);
  (capsule.*list).by_id.insert_or_assign(std::string(id), entity);
  (capsule.*list).in_order.push_back(std::move(entity));
  return absl::OkStatus();
}

template <typename Payload>
absl::StatusOr<Payload> ConcurrentStore::GetNamed(NamedList<Payload> Capsule::*list,
                                                  absl::string_view caller, StoreId capsule,
                                                  absl::string_view id) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  auto it = ((*c)->*list).by_id.find(id);
  if (it != ((*c)->*list).by_id.end() && !it->second->deleted) return it->second->payload;  // R1
  return absl::NotFoundError("no such entity in this capsule");
}

template <typename Payload>
absl::Status ConcurrentStore::DeleteNamed(std::vector<NamedStripe<Payload>>& stripes,
                                          NamedList<Payload> Capsule::*list,
                                          absl::string_view caller, StoreId capsule,
                                          absl::string_view id) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  auto it = ((*c)->*list).by_id.find(id);
  if (it == ((*c)->*list).by_id.end() || it->second->deleted) {
    return absl::NotFoundError("no such entity in this capsule");  // R2
  }
  std::lock_guard<std::mutex> stripe_lock(stripes[StripeOf(id)].mu);
  it->second->deleted = true;  // F4: leaves a tombstone
  it->second->deleted_at = now_;
  return absl::OkStatus();
}

template <typename Entry, typename Payload>
absl::StatusOr<std::vector<Entry>> ConcurrentStore::ListNamed(NamedList<Payload> Capsule::*list,
                                                              absl::string_view caller,
                                                              StoreId capsule) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);
  if (!c.ok()) return c.status();
  std::vector<Entry> listed;  // R3: creation order
  for (const NamedPtr<Payload>& e : ((*c)->*list).in_order) {
    if (!e->deleted) listed.push_back({e->id, e->payload});
  }
  return listed;
}

absl::Status ConcurrentStore::CreateGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id, const GalleryPayload& payload) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.title, limits_); !s.ok()) return s;
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);  // G2, G3
  if (!c.ok()) return c.status();
  NamedStripe<GalleryPayload>& stripe = galleries_[StripeOf(id)];
  std::lock_guard<std::mutex> stripe_lock(stripe.mu);
  return CreateNamed(stripe, &Capsule::galleries, **c, id, payload);
}

absl::StatusOr<GalleryPayload> ConcurrentStore::GetGallery(absl::string_view caller,
                                                           StoreId capsule, absl::string_view id) {
  return GetNamed(&Capsule::galleries, caller, capsule, id);
}

absl::Status ConcurrentStore::DeleteGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) {
  return DeleteNamed(galleries_, &Capsule::galleries, caller, capsule, id);
}

absl::StatusOr<std::vector<GalleryEntry>> ConcurrentStore::ListGalleries(absl::string_view caller,
                                                                         StoreId capsule) {
  return ListNamed<GalleryEntry>(&Capsule::galleries, caller, capsule);
}

absl::Status ConcurrentStore::CreateFolder(absl::string_view caller, StoreId capsule,
                                           absl::string_view id, const FolderPayload& payload) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.name, limits_); !s.ok()) return s;
  if (payload.parent.has_value()) {
    if (absl::Status s = CheckUuid(*payload.parent); !s.ok()) return s;
  }
  Shard& shard = shards_[ShardOf(capsule)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);  // G2, G3
  if (!c.ok()) return c.status();
  NamedStripe<FolderPayload>& stripe = folders_[StripeOf(id)];
  std::lock_guard<std::mutex> stripe_lock(stripe.mu);
  auto held = stripe.holders.find(id);
  const bool taken = held != stripe.holders.end() && HoldsId(*held->second);
  // G4 before F5: a replay of a created folder succeeds even if its parent has since gone. The
  // parent is in this capsule, so the shard already guards it.
  if (!taken && payload.parent.has_value()) {
    auto parent = (*c)->folders.by_id.find(*payload.parent);
    if (parent == (*c)->folders.by_id.end() || parent->second->deleted) {
      return absl::InvalidArgumentError("parent is not a live folder in this capsule");  // F5
    }
  }
  return CreateNamed(stripe, &Capsule::folders, **c, id, payload);
}

absl::StatusOr<FolderPayload> ConcurrentStore::GetFolder(absl::string_view caller, StoreId capsule,
                                                         absl::string_view id) {
  return GetNamed(&Capsule::folders, caller, capsule, id);
}

absl::Status ConcurrentStore::DeleteFolder(absl::string_view caller, StoreId capsule,
                                           absl::string_view id) {
  return DeleteNamed(folders_, &Capsule::folders, caller, capsule, id);
}

absl::StatusOr<std::vector<FolderEntry>> ConcurrentStore::ListFolders(absl::string_view caller,
                                                                      StoreId capsule) {
  return ListNamed<FolderEntry>(&Capsule::folders, caller, capsule);
}

// ---- Uploads -------------------------------------------------------------------------------

bool ConcurrentStore::IsExpired(const Session& session) const {
  return session.state == SessionState::kPending &&
         now_ - session.begun_at >= limits_.session_ttl_seconds;  // U6
}

bool ConcurrentStore::HasLiveRecord(const Session& session) const {
  switch (session.state) {
    case SessionState::kPending:
      return !IsExpired(session);  // U1, U6
    case SessionState::kCommitted:
      return now_ - session.begun_at < limits_.retention_seconds;  // M8
    case SessionState::kAborted:
      return false;  // U5
  }
  return false;
}

absl::StatusOr<StoreId> ConcurrentStore::BeginUpload(absl::string_view caller, StoreId capsule,
                                                     uint32_t expected_chunks,
                                                     absl::string_view key) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (expected_chunks < 1 || expected_chunks > limits_.max_expected_chunks) {
    return absl::InvalidArgumentError("expected chunks out of range");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  const size_t s = ShardOf(capsule);
  Shard& shard = shards_[s];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Capsule*> c = CheckCapsuleAccess(shard, caller, capsule);  // G2, G3
  if (!c.ok()) return c.status();
  // U1: a replay of a live record, pending or committed, never resets its chunks.
  if (!key.empty()) {
    auto it = (*c)->session_records.find(RecordKey(caller, key));
    if (it != (*c)->session_records.end()) {
      const Session& session = shard.sessions.at(it->second);
      if (HasLiveRecord(session)) {
        if (session.expected_chunks == expected_chunks) return it->second;
        return absl::AbortedError("key reused with different expected chunks");
      }
    }
  }
  // U2: only a new session counts against the limit.
  uint32_t pending = 0;
  for (StoreId id : (*c)->sessions) {
    const Session& session = shard.sessions.at(id);
    pending +=
        session.caller == caller && session.state == SessionState::kPending && !IsExpired(session);
  }
  if (pending >= limits_.max_pending_sessions) {
    return absl::ResourceExhaustedError("too many pending upload sessions");
  }
  const StoreId id = NextLocalId(s);
  shard.sessions.emplace(id, Session{.capsule = capsule,
                                     .caller = std::string(caller),
                                     .expected_chunks = expected_chunks,
                                     .begun_at = now_});
  (*c)->sessions.push_back(id);
  if (!key.empty()) (*c)->session_records.insert_or_assign(RecordKey(caller, key), id);
  return id;
}

absl::StatusOr<ConcurrentStore::Session*> ConcurrentStore::CheckSession(Shard& shard,
                                                                        absl::string_view caller,
                                                                        StoreId session) {
  auto it = shard.sessions.find(session);
  if (it == shard.sessions.end() || it->second.state == SessionState::kAborted ||
      IsExpired(it->second)) {
    return absl::NotFoundError("no such upload session");  // U3, U5, U6
  }
  Session& s = it->second;
  if (s.caller != caller || !CheckCapsuleAccess(shard, caller, s.capsule).ok()) {
    return absl::PermissionDeniedError("not this session's caller, or no write access");
  }
  return &s;
}

absl::Status ConcurrentStore::PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                                       absl::string_view bytes) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (bytes.empty() || bytes.size() > limits_.max_chunk_bytes) {
    return absl::InvalidArgumentError("chunk size out of range");
  }
  Shard& shard = shards_[ShardOf(session)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Session*> found = CheckSession(shard, caller, session);
  if (!found.ok()) return found.status();
  Session& s = **found;
  if (index >= s.expected_chunks) return absl::InvalidArgumentError("index out of range");  // U3
  auto chunk = s.chunks.find(index);
  if (chunk != s.chunks.end()) {  // U3: an exact repeat is Ok, also after commit
    if (chunk->second == bytes) return absl::OkStatus();
    return absl::AbortedError("chunk already received with other bytes");
  }
  if (s.state == SessionState::kCommitted) {
    return absl::AbortedError("session already committed");  // U3
  }
  s.chunks.emplace(index, std::string(bytes));
  return absl::OkStatus();
}

absl::StatusOr<StoreId> ConcurrentStore::FinishUpload(absl::string_view caller, StoreId session,
                                                      uint64_t total_len, uint64_t digest) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  const size_t shard_index = ShardOf(session);
  Shard& shard = shards_[shard_index];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Session*> found = CheckSession(shard, caller, session);
  if (!found.ok()) return found.status();
  Session& s = **found;
  if (s.state == SessionState::kCommitted) {  // U4: a retry replays the blob
    if (s.total_len == total_len && s.digest == digest) return s.blob;
    return absl::AbortedError("session committed with another length or digest");
  }
  // U4: every chunk present, and length and digest match the bytes in index order.
  if (s.chunks.size() != s.expected_chunks) return absl::InvalidArgumentError("missing chunks");
  uint64_t length = 0;
  uint64_t fnv = kFnv1a64Offset;
  for (const auto& [index, bytes] : s.chunks) {
    length += bytes.size();
    fnv = Fnv1a64(bytes, fnv);
  }
  if (length != total_len) return absl::InvalidArgumentError("length does not match the chunks");
  if (fnv != digest) return absl::InvalidArgumentError("digest does not match the chunks");
  s.state = SessionState::kCommitted;
  s.blob = NextLocalId(shard_index);
  s.total_len = total_len;
  s.digest = digest;
  return s.blob;
}

absl::Status ConcurrentStore::AbortUpload(absl::string_view caller, StoreId session) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  Shard& shard = shards_[ShardOf(session)];
  std::lock_guard<std::mutex> lock(shard.mu);
  absl::StatusOr<Session*> found = CheckSession(shard, caller, session);
  if (!found.ok()) return found.status();
  if ((*found)->state == SessionState::kCommitted) {
    return absl::AbortedError("session already committed");  // U5
  }
  (*found)->state = SessionState::kAborted;  // U5: its key is released
  return absl::OkStatus();
}

// ---- Clock and observation -----------------------------------------------------------------

absl::Status ConcurrentStore::AdvanceClock(uint64_t seconds) {
  if (seconds > limits_.max_clock_advance_seconds) {  // T1
    return absl::InvalidArgumentError(
        absl::StrCat("clock advance above ", limits_.max_clock_advance_seconds, " seconds"));
  }
  std::vector<std::unique_lock<std::mutex>> locks = LockAll(shards_);
  now_ += seconds;
  return absl::OkStatus();
}

std::vector<CapsuleView> ConcurrentStore::Observe() const {
  std::vector<std::unique_lock<std::mutex>> locks = LockAll(shards_);
  std::vector<CapsuleView> views;
  for (const Shard& shard : shards_) {
    for (const auto& [id, c] : shard.capsules) {
      CapsuleView view{.id = id,
                       .subject = c.subject,
                       .owners = Sorted(c.owners),
                       .controllers = Sorted(c.controllers)};
      for (const Memory& m : c.memories) {
        if (!m.deleted) view.memories.push_back({m.id, m.payload});
      }
      for (const auto& g : c.galleries.in_order) {
        if (!g->deleted) view.galleries.push_back({g->id, g->payload});
      }
      for (const auto& f : c.folders.in_order) {
        if (!f->deleted) view.folders.push_back({f->id, f->payload});
      }
      views.push_back(std::move(view));
    }
  }
  // Capsule IDs count up in creation order.
  std::sort(views.begin(), views.end(),
            [](const CapsuleView& a, const CapsuleView& b) { return a.id < b.id; });
  return views;
}

IDEMCHECK_REGISTER_STORE(concurrent,
                         {
                             .name = "impl/concurrent",
                             .kind = StoreKind::kImplementation,
                             .description = "thread-safe: capsules sharded, global IDs striped",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ConcurrentStore>(options);
                             },
                             .thread_safe = true,
                         });

}  // namespace idemcheck
