#include "impl/impl_state.h"

#include <algorithm>
#include <cstdint>
#include <deque>

#include "idemcheck/registry.h"
#include "idemcheck/values.h"

namespace idemcheck::impl_internal {

StoreState::StoreState(const Limits& store_limits, LookupHash hash)
    : limits(store_limits),
      capsules_by_owner(0, BytesHash{hash}),
      memory_keys(0, ScopedKeyHash<MemoryRecord>{hash}),
      galleries(0, UuidHash{hash}),
      folders(0, UuidHash{hash}),
      session_keys(0, ScopedKeyHash<Session>{hash}) {}

Capsule* StoreState::FindCapsule(StoreId id) const {
  if (id == 0 || id > capsules.size()) return nullptr;
  return capsules[id - 1].get();
}

void StoreState::Purge() {
  // M8: a record is live while now < created_at + retention.
  while (!memory_records.empty() &&
         Expired(memory_records.front().created_at, limits.retention_seconds)) {
    MemoryRecord& record = memory_records.front();
    memory_keys.erase(&record);
    MemoryNode* memory = record.memory;
    memory->has_record = false;
    if (memory->deleted) {
      const StoreId id = memory->id;  // erase destroys the node that holds it
      FindCapsule(memory->capsule)->memories.erase(id);
    }
    memory_records.pop_front();
  }
  PurgeTombstones(galleries, gallery_tombstones);
  PurgeTombstones(folders, folder_tombstones);

  // Sessions have two deadlines counted from their begin (U6: TTL for a pending session, M8:
  // retention for a committed session's key), both constant: one queue in begin order, a cursor
  // for the earlier deadline and pops at the later one.
  const uint64_t earlier = std::min(limits.session_ttl_seconds, limits.retention_seconds);
  const uint64_t later = std::max(limits.session_ttl_seconds, limits.retention_seconds);
  while (session_begins_checked < session_begins.size() &&
         Expired(session_begins[session_begins_checked].begun_at, earlier)) {
    CheckSessionDeadlines(session_begins[session_begins_checked].session);
    ++session_begins_checked;
  }
  while (!session_begins.empty() && Expired(session_begins.front().begun_at, later)) {
    CheckSessionDeadlines(session_begins.front().session);
    session_begins.pop_front();
    --session_begins_checked;  // the front was checked at its earlier deadline above
  }
}

template <typename Payload>
void StoreState::PurgeTombstones(NamedIndex<Payload>& index,
                                 std::deque<NamedNode<Payload>*>& queue) {
  // F4: the ID is held while now < deleted_at + retention.
  while (!queue.empty() && Expired(queue.front()->deleted_at, limits.retention_seconds)) {
    const Uuid id = queue.front()->id;  // erase destroys the node that holds it
    index.erase(id);
    queue.pop_front();
  }
}

void StoreState::CheckSessionDeadlines(StoreId id) {
  auto it = sessions.find(id);
  if (it == sessions.end()) return;  // aborted or already expired
  Session& session = *it->second;
  if (session.state == SessionState::kPending) {
    if (Expired(session.begun_at, limits.session_ttl_seconds)) RemovePendingSession(session);
  } else {
    ReleaseKeyIfPastRetention(session);
  }
}

void StoreState::ReleasePendingSlot(const Session& session) {
  Capsule& capsule = *FindCapsule(session.capsule);
  auto pending = capsule.pending_sessions.find(session.caller);
  if (--pending->second == 0) capsule.pending_sessions.erase(pending);
}

void StoreState::RemovePendingSession(Session& session) {
  if (session.key_indexed) session_keys.erase(&session);
  ReleasePendingSlot(session);
  const StoreId id = session.id;  // erase destroys the session that holds it
  sessions.erase(id);
}

void StoreState::ReleaseKeyIfPastRetention(Session& session) {
  if (session.key_indexed && Expired(session.begun_at, limits.retention_seconds)) {
    session_keys.erase(&session);
    session.key_indexed = false;
  }
}

}  // namespace idemcheck::impl_internal
