#include "reference/reference_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace idemcheck {
namespace {

bool Contains(const std::vector<std::string>& list, absl::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void Remove(std::vector<std::string>& list, absl::string_view item) {
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
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

}  // namespace

// ---- Capsules and access -------------------------------------------------------------------

ReferenceStore::Capsule* ReferenceStore::FindCapsule(StoreId id) {
  for (Capsule& c : capsules_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const ReferenceStore::Capsule* ReferenceStore::FindCapsule(StoreId id) const {
  return const_cast<ReferenceStore*>(this)->FindCapsule(id);
}

// A1: owners and controllers, nobody else (not the subject by being the subject).
bool ReferenceStore::HasAccess(const Capsule& capsule, absl::string_view principal) {
  return Contains(capsule.owners, principal) || Contains(capsule.controllers, principal);
}

bool ReferenceStore::IsOwner(const Capsule& capsule, absl::string_view principal) {
  return Contains(capsule.owners, principal);
}

absl::StatusOr<ReferenceStore::Capsule*> ReferenceStore::CheckCapsuleAccess(
    absl::string_view caller, StoreId capsule) {
  Capsule* c = FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");              // G2
  if (!HasAccess(*c, caller)) return absl::PermissionDeniedError("no access");  // G3
  return c;
}

absl::StatusOr<StoreId> ReferenceStore::CreateCapsule(absl::string_view caller,
                                                      absl::string_view subject) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (!IsValidPrincipal(subject) || subject == kAnonymous) {    // C2
    return absl::InvalidArgumentError("malformed or anonymous subject");
  }
  if (caller == kAnonymous) return absl::PermissionDeniedError("anonymous caller");  // C2
  // C1: the oldest capsule of this subject that lists the caller among its owners.
  for (const Capsule& c : capsules_) {
    if (c.subject == subject && IsOwner(c, caller)) return c.id;
  }
  capsules_.push_back(Capsule{++last_capsule_, std::string(subject), {std::string(caller)}, {}});
  return capsules_.back().id;
}

absl::Status ReferenceStore::Grant(absl::string_view caller, StoreId capsule,
                                   absl::string_view principal, Role role) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;    // G1
  if (!IsValidPrincipal(principal) || principal == kAnonymous) {  // A2
    return absl::InvalidArgumentError("role holder must be a non-anonymous principal");
  }
  Capsule* c = FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");                    // G2
  if (!IsOwner(*c, caller)) return absl::PermissionDeniedError("only owners grant");  // A2
  std::vector<std::string>& holders = role == Role::kOwner ? c->owners : c->controllers;
  if (!Contains(holders, principal)) holders.emplace_back(principal);  // A2: held is Ok
  return absl::OkStatus();
}

absl::Status ReferenceStore::Revoke(absl::string_view caller, StoreId capsule,
                                    absl::string_view principal, Role role) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;    // G1
  if (!IsValidPrincipal(principal) || principal == kAnonymous) {  // A2 (documented choice)
    return absl::InvalidArgumentError("role holder must be a non-anonymous principal");
  }
  Capsule* c = FindCapsule(capsule);
  if (c == nullptr) return absl::NotFoundError("no such capsule");                     // G2
  if (!IsOwner(*c, caller)) return absl::PermissionDeniedError("only owners revoke");  // A2
  std::vector<std::string>& holders = role == Role::kOwner ? c->owners : c->controllers;
  if (!Contains(holders, principal)) return absl::OkStatus();  // A2: not held is Ok
  if (role == Role::kOwner && c->owners.size() == 1) {
    return absl::AbortedError("cannot revoke the last owner");  // A2
  }
  Remove(holders, principal);
  return absl::OkStatus();
}

// ---- Memories ------------------------------------------------------------------------------

// M8: live while now < created_at + retention.
bool ReferenceStore::IsLive(const MemoryRecord& record) const {
  return now_ - record.created_at < limits_.retention_seconds;
}

absl::StatusOr<StoreId> ReferenceStore::CreateMemory(absl::string_view caller, StoreId capsule,
                                                     const MemoryPayload& payload,
                                                     absl::string_view key) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.title, limits_); !s.ok()) return s;
  if (payload.content.size() > limits_.max_content_bytes) {
    return absl::InvalidArgumentError("content too long");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  // G2, G3
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();

  // G4, M4-M6: the record is scoped to (capsule, caller, key); M2: no key, no record.
  if (!key.empty()) {
    for (const MemoryRecord& r : memory_records_) {
      if (r.capsule != capsule || r.caller != caller || r.key != key || !IsLive(r)) continue;
      if (r.payload == payload) return r.memory;  // M4, and M7: even if deleted
      return absl::AbortedError("key reused with a different payload");  // M5
    }
  }
  // M2, M3: a fresh ID.
  memories_.push_back(Memory{++last_memory_, capsule, payload});
  if (!key.empty()) {
    memory_records_.push_back(
        MemoryRecord{capsule, std::string(caller), std::string(key), payload, last_memory_, now_});
  }
  return last_memory_;
}

absl::StatusOr<MemoryPayload> ReferenceStore::GetMemory(absl::string_view caller, StoreId capsule,
                                                        StoreId memory) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  for (const Memory& m : memories_) {
    if (m.id == memory && m.capsule == capsule && !m.deleted) return m.payload;  // R1
  }
  return absl::NotFoundError("no such memory in this capsule");
}

absl::Status ReferenceStore::DeleteMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  for (Memory& m : memories_) {
    if (m.id == memory && m.capsule == capsule && !m.deleted) {  // R2: this capsule only
      m.deleted = true;                                          // M7: the record stays
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("no such memory in this capsule");  // R2: a second delete
}

absl::StatusOr<std::vector<StoredMemory>> ReferenceStore::ListMemories(absl::string_view caller,
                                                                       StoreId capsule) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  std::vector<StoredMemory> listed;  // R3: creation order
  for (const Memory& m : memories_) {
    if (m.capsule == capsule && !m.deleted) listed.push_back({m.id, m.payload});
  }
  return listed;
}

// ---- Galleries and folders -----------------------------------------------------------------

// F4: an ID is held by a live entity or by a tombstone younger than the retention window.
template <typename Payload>
bool ReferenceStore::HoldsId(const Named<Payload>& entity) const {
  return !entity.deleted || now_ - entity.deleted_at < limits_.retention_seconds;
}

template <typename Payload>
absl::Status ReferenceStore::CreateNamed(std::vector<Named<Payload>>& entities, StoreId capsule,
                                         absl::string_view id, const Payload& payload) {
  // F1: IDs are global per kind. At most one entity holds an ID at any time.
  for (const Named<Payload>& e : entities) {
    if (e.id != id || !HoldsId(e)) continue;
    if (e.capsule == capsule && e.payload == payload) return absl::OkStatus();  // F3, F4
    return absl::AbortedError("ID is taken by another capsule or payload");     // F3, F4
  }
  entities.push_back(Named<Payload>{std::string(id), capsule, payload});  // F2
  return absl::OkStatus();
}

template <typename Payload>
absl::StatusOr<Payload> ReferenceStore::GetNamed(const std::vector<Named<Payload>>& entities,
                                                 absl::string_view caller, StoreId capsule,
                                                 absl::string_view id) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  for (const Named<Payload>& e : entities) {
    if (e.id == id && e.capsule == capsule && !e.deleted) return e.payload;  // R1
  }
  return absl::NotFoundError("no such entity in this capsule");
}

template <typename Payload>
absl::Status ReferenceStore::DeleteNamed(std::vector<Named<Payload>>& entities,
                                         absl::string_view caller, StoreId capsule,
                                         absl::string_view id) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  for (Named<Payload>& e : entities) {
    if (e.id == id && e.capsule == capsule && !e.deleted) {  // R2: this capsule only
      e.deleted = true;                                      // F4: leaves a tombstone
      e.deleted_at = now_;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("no such entity in this capsule");
}

template <typename Entry, typename Payload>
absl::StatusOr<std::vector<Entry>> ReferenceStore::ListNamed(
    const std::vector<Named<Payload>>& entities, absl::string_view caller, StoreId capsule) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  std::vector<Entry> listed;  // R3: creation order
  for (const Named<Payload>& e : entities) {
    if (e.capsule == capsule && !e.deleted) listed.push_back({e.id, e.payload});
  }
  return listed;
}

absl::Status ReferenceStore::CreateGallery(absl::string_view caller, StoreId capsule,
                                           absl::string_view id, const GalleryPayload& payload) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.title, limits_); !s.ok()) return s;
  // G2, G3
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  return CreateNamed(galleries_, capsule, id, payload);
}

absl::StatusOr<GalleryPayload> ReferenceStore::GetGallery(absl::string_view caller, StoreId capsule,
                                                          absl::string_view id) {
  return GetNamed(galleries_, caller, capsule, id);
}

absl::Status ReferenceStore::DeleteGallery(absl::string_view caller, StoreId capsule,
                                           absl::string_view id) {
  return DeleteNamed(galleries_, caller, capsule, id);
}

absl::StatusOr<std::vector<GalleryEntry>> ReferenceStore::ListGalleries(absl::string_view caller,
                                                                        StoreId capsule) {
  return ListNamed<GalleryEntry>(galleries_, caller, capsule);
}

absl::Status ReferenceStore::CreateFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id, const FolderPayload& payload) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = CheckUuid(id); !s.ok()) return s;
  if (absl::Status s = CheckTitle(payload.name, limits_); !s.ok()) return s;
  if (payload.parent.has_value()) {
    if (absl::Status s = CheckUuid(*payload.parent); !s.ok()) return s;
  }
  // G2, G3
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  // G4 before F5: a replay of a created folder succeeds even if its parent has since gone.
  for (const Named<FolderPayload>& e : folders_) {
    if (e.id == id && HoldsId(e)) return CreateNamed(folders_, capsule, id, payload);
  }
  if (payload.parent.has_value()) {  // F5
    bool parent_live = false;
    for (const Named<FolderPayload>& e : folders_) {
      parent_live |= e.id == *payload.parent && e.capsule == capsule && !e.deleted;
    }
    if (!parent_live) {
      return absl::InvalidArgumentError("parent is not a live folder in this capsule");
    }
  }
  return CreateNamed(folders_, capsule, id, payload);
}

absl::StatusOr<FolderPayload> ReferenceStore::GetFolder(absl::string_view caller, StoreId capsule,
                                                        absl::string_view id) {
  return GetNamed(folders_, caller, capsule, id);
}

absl::Status ReferenceStore::DeleteFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id) {
  return DeleteNamed(folders_, caller, capsule, id);
}

absl::StatusOr<std::vector<FolderEntry>> ReferenceStore::ListFolders(absl::string_view caller,
                                                                     StoreId capsule) {
  return ListNamed<FolderEntry>(folders_, caller, capsule);
}

// ---- Uploads -------------------------------------------------------------------------------

// U6: a pending session expires session_ttl after its begin.
bool ReferenceStore::IsExpired(const Session& session) const {
  return session.state == SessionState::kPending &&
         now_ - session.begun_at >= limits_.session_ttl_seconds;
}

// U1, U6: a pending session holds its key until it expires or is aborted; a committed one for
// the retention window from its begin (M8).
bool ReferenceStore::HasLiveRecord(const Session& session) const {
  switch (session.state) {
    case SessionState::kPending:
      return !IsExpired(session);
    case SessionState::kCommitted:
      return now_ - session.begun_at < limits_.retention_seconds;
    case SessionState::kAborted:
      return false;
  }
  return false;
}

absl::StatusOr<StoreId> ReferenceStore::BeginUpload(absl::string_view caller, StoreId capsule,
                                                    uint32_t expected_chunks,
                                                    absl::string_view key) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (expected_chunks < 1 || expected_chunks > limits_.max_expected_chunks) {
    return absl::InvalidArgumentError("expected chunks out of range");
  }
  if (!IsValidIdemKey(key)) return absl::InvalidArgumentError("malformed idempotency key");
  // G2, G3
  if (absl::StatusOr<Capsule*> c = CheckCapsuleAccess(caller, capsule); !c.ok()) return c.status();
  // U1: replay of a live record, pending or committed, never resets its chunks.
  if (!key.empty()) {
    for (const Session& s : sessions_) {
      if (s.capsule != capsule || s.caller != caller || s.key != key || !HasLiveRecord(s)) {
        continue;
      }
      if (s.expected_chunks == expected_chunks) return s.id;
      return absl::AbortedError("key reused with different expected chunks");
    }
  }
  // U2: only a new session counts against the limit.
  uint32_t pending = 0;
  for (const Session& s : sessions_) {
    pending += s.capsule == capsule && s.caller == caller && s.state == SessionState::kPending &&
               !IsExpired(s);
  }
  if (pending >= limits_.max_pending_sessions) {
    return absl::ResourceExhaustedError("too many pending upload sessions");
  }
  sessions_.push_back(Session{.id = ++last_session_,
                              .capsule = capsule,
                              .caller = std::string(caller),
                              .key = std::string(key),
                              .expected_chunks = expected_chunks,
                              .begun_at = now_});
  return last_session_;
}

absl::StatusOr<ReferenceStore::Session*> ReferenceStore::CheckSession(absl::string_view caller,
                                                                      StoreId session) {
  for (Session& s : sessions_) {
    if (s.id != session) continue;
    if (s.state == SessionState::kAborted || IsExpired(s)) break;  // U3, U5, U6
    const Capsule* c = FindCapsule(s.capsule);
    if (s.caller != caller || c == nullptr || !HasAccess(*c, caller)) {
      return absl::PermissionDeniedError("not this session's caller, or no write access");
    }
    return &s;
  }
  return absl::NotFoundError("no such upload session");
}

absl::Status ReferenceStore::PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                                      absl::string_view bytes) {
  // G1
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (bytes.empty() || bytes.size() > limits_.max_chunk_bytes) {
    return absl::InvalidArgumentError("chunk size out of range");
  }
  absl::StatusOr<Session*> found = CheckSession(caller, session);
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

absl::StatusOr<StoreId> ReferenceStore::FinishUpload(absl::string_view caller, StoreId session,
                                                     uint64_t total_len, uint64_t digest) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  absl::StatusOr<Session*> found = CheckSession(caller, session);
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
  s.blob = ++last_blob_;
  s.total_len = total_len;
  s.digest = digest;
  return s.blob;
}

absl::Status ReferenceStore::AbortUpload(absl::string_view caller, StoreId session) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;  // G1
  absl::StatusOr<Session*> found = CheckSession(caller, session);
  if (!found.ok()) return found.status();
  if ((*found)->state == SessionState::kCommitted) {
    return absl::AbortedError("session already committed");  // U5
  }
  (*found)->state = SessionState::kAborted;  // U5: its key is released
  return absl::OkStatus();
}

// ---- Clock and observation -----------------------------------------------------------------

absl::Status ReferenceStore::AdvanceClock(uint64_t seconds) {
  if (seconds > limits_.max_clock_advance_seconds) {  // T1
    return absl::InvalidArgumentError(
        absl::StrCat("clock advance above ", limits_.max_clock_advance_seconds, " seconds"));
  }
  now_ += seconds;
  return absl::OkStatus();
}

std::vector<CapsuleView> ReferenceStore::Observe() const {
  std::vector<CapsuleView> views;
  for (const Capsule& c : capsules_) {
    CapsuleView view{.id = c.id,
                     .subject = c.subject,
                     .owners = Sorted(c.owners),
                     .controllers = Sorted(c.controllers)};
    for (const Memory& m : memories_) {
      if (m.capsule == c.id && !m.deleted) view.memories.push_back({m.id, m.payload});
    }
    for (const auto& g : galleries_) {
      if (g.capsule == c.id && !g.deleted) view.galleries.push_back({g.id, g.payload});
    }
    for (const auto& f : folders_) {
      if (f.capsule == c.id && !f.deleted) view.folders.push_back({f.id, f.payload});
    }
    views.push_back(std::move(view));
  }
  return views;
}

IDEMCHECK_REGISTER_STORE(reference,
                         {
                             .name = "reference",
                             .kind = StoreKind::kReference,
                             .description = "the contract in code: plain vectors and linear scans",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ReferenceStore>(options);
                             },
                         });

}  // namespace idemcheck
