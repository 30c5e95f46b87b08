// Everything an ImplStore holds, and the indexes over it. docs/impl.md explains each choice.
//
// Ownership: capsules own their memories; the global ID indexes own galleries, folders and
// sessions. Every other structure (records' memory pointers, listings, key indexes, expiry
// queues) refers into those owners and is kept consistent by the operations in
// impl_store.cc. State that belongs to one capsule lives in `Capsule`, so a later variant can
// shard by capsule.
//
// Invariant after every operation: no index or queue holds anything whose window has closed at
// `now`. Purge runs whenever the clock moves, and after each operation that opens a window (for
// windows of zero seconds).

#ifndef IDEMCHECK_IMPL_IMPL_STATE_H_
#define IDEMCHECK_IMPL_IMPL_STATE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/values.h"
#include "impl/intrusive_list.h"
#include "impl/lookup_key.h"
#include "impl/principal_table.h"

namespace idemcheck::impl_internal {

struct MemoryNode {
  StoreId id = 0;
  StoreId capsule = 0;
  MemoryPayload payload;
  bool deleted = false;
  // A live record refers to this memory. A deleted memory stays (unlisted) while its record
  // lives, so that a retry is still compared with its payload (M4, M7).
  bool has_record = false;
  ListLink<MemoryNode> link;  // in the capsule's listing while not deleted
};

// M3: what a non-empty key remembers. Its memory holds the capsule, ID and payload.
struct MemoryRecord {
  MemoryNode* memory;
  uint64_t created_at;
  std::unique_ptr<char[]> key;
  uint32_t caller;  // PrincipalTable number
  uint8_t key_size;

  absl::string_view key_view() const { return absl::string_view(key.get(), key_size); }
  ScopedKey scoped_key() const { return ScopedKey{memory->capsule, caller, key_view()}; }
};

// A gallery or folder, live or (F4) a tombstone.
template <typename Payload>
struct NamedNode {
  Uuid id;
  StoreId capsule = 0;
  Payload payload;
  bool deleted = false;
  uint64_t deleted_at = 0;
  ListLink<NamedNode> link;  // in the capsule's listing while not deleted
};
using GalleryNode = NamedNode<GalleryPayload>;
using FolderNode = NamedNode<FolderPayload>;

// F1: IDs are global per kind. Holds every live entity and live tombstone.
template <typename Payload>
using NamedIndex = absl::flat_hash_map<Uuid, std::unique_ptr<NamedNode<Payload>>, UuidHash>;

struct Capsule {
  StoreId id = 0;
  std::string subject;
  std::vector<std::string> owners;       // sorted
  std::vector<std::string> controllers;  // sorted
  // Live memories, and deleted ones a live record still refers to.
  absl::flat_hash_map<StoreId, std::unique_ptr<MemoryNode>> memories;
  IntrusiveList<MemoryNode> live_memories;  // creation order (R3)
  IntrusiveList<GalleryNode> galleries;     // live, creation order
  IntrusiveList<FolderNode> folders;        // live, creation order
  // U2: pending, unexpired sessions per caller (PrincipalTable number); no zero entries.
  absl::flat_hash_map<uint32_t, uint32_t> pending_sessions;
};

enum class SessionState : uint8_t { kPending = 0, kCommitted = 1 };

// Pending and committed sessions. Aborted and expired ones are erased.
struct Session {
  StoreId id = 0;
  StoreId capsule = 0;
  uint32_t caller = 0;  // PrincipalTable number
  uint32_t expected_chunks = 0;
  uint64_t begun_at = 0;
  std::string key;
  SessionState state = SessionState::kPending;
  // Holds the live record of its key in StoreState::session_keys (U1).
  bool key_indexed = false;
  absl::flat_hash_map<uint32_t, std::string> chunks;
  StoreId blob = 0;  // committed only
  uint64_t total_len = 0;
  uint64_t digest = 0;

  ScopedKey scoped_key() const { return ScopedKey{capsule, caller, key}; }
};

struct SessionBegin {
  StoreId session;
  uint64_t begun_at;
};

class StoreState {
 public:
  StoreState(const Limits& limits, LookupHash hash);
  // Indexes hold pointers into the state: it never moves.
  StoreState(const StoreState&) = delete;
  StoreState& operator=(const StoreState&) = delete;

  // Nullptr unless 1 <= id <= last_capsule.
  Capsule* FindCapsule(StoreId id) const;

  // Drops what has expired at `now` (M8, F4, U6), oldest first, each item once: amortized O(1)
  // per item ever created. Never allocates.
  void Purge();

  // U2: `session` (pending) stops counting against its caller's limit.
  void ReleasePendingSlot(const Session& session);
  // Erases a pending session (U5, U6) and releases its key.
  void RemovePendingSession(Session& session);
  // U6: a committed session's key record follows the retention window from its begin.
  void ReleaseKeyIfPastRetention(Session& session);
  // Whether `since + window` has been reached.
  bool Expired(uint64_t since, uint64_t window) const { return now - since >= window; }

  const Limits limits;
  uint64_t now = 0;
  // The last ID handed out per kind; IDs are 1, 2, 3, ... and never reused (T2).
  StoreId last_capsule = 0;
  StoreId last_memory = 0;
  StoreId last_session = 0;
  StoreId last_blob = 0;

  PrincipalTable principals;

  std::vector<std::unique_ptr<Capsule>> capsules;  // capsule n at index n-1; never deleted
  // C1: encoded (subject, owner) -> IDs of the capsules of that subject the owner holds, sorted
  // (the oldest first).
  absl::flat_hash_map<std::string, std::vector<StoreId>, BytesHash, BytesEq> capsules_by_owner;

  // Memory records, oldest first: creation order is expiry order, so this is also the M8 queue.
  std::deque<MemoryRecord> memory_records;
  absl::flat_hash_set<MemoryRecord*, ScopedKeyHash<MemoryRecord>, ScopedKeyEq<MemoryRecord>>
      memory_keys;

  NamedIndex<GalleryPayload> galleries;
  NamedIndex<FolderPayload> folders;
  // F4 queues: tombstones in deletion order. A tombstone leaves only through its queue.
  std::deque<GalleryNode*> gallery_tombstones;
  std::deque<FolderNode*> folder_tombstones;

  absl::flat_hash_map<StoreId, std::unique_ptr<Session>> sessions;
  absl::flat_hash_set<Session*, ScopedKeyHash<Session>, ScopedKeyEq<Session>> session_keys;
  // Every session still in `sessions` or ever begun and not yet past both its TTL and retention
  // deadlines, in begin order. `session_begins_checked` leading entries have been checked at the
  // earlier of the two deadlines (U6 for pending sessions, M8 for committed sessions' keys).
  std::deque<SessionBegin> session_begins;
  size_t session_begins_checked = 0;

 private:
  template <typename Payload>
  void PurgeTombstones(NamedIndex<Payload>& index, std::deque<NamedNode<Payload>*>& queue);
  // Applies whatever is due for session `id` at `now`: expiry if pending past its TTL, key
  // release if committed past retention.
  void CheckSessionDeadlines(StoreId id);
};

}  // namespace idemcheck::impl_internal

#endif  // IDEMCHECK_IMPL_IMPL_STATE_H_
