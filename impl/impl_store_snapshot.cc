// ImplStore::Snapshot and ImplStore::Restore: what each section of the format holds
// (docs/snapshot-format.md). The framing is impl/snapshot.h.
//
// Restore builds a fresh StoreState while it validates, and hands it out only if every byte
// checked out; a defect anywhere discards it. Everything it allocates is bounded by the input:
// each count is checked against the remaining bytes (Reader::Count) before anything is reserved.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "idemcheck/values.h"
#include "impl/impl_state.h"
#include "impl/impl_store.h"
#include "impl/lookup_key.h"
#include "impl/snapshot.h"

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
using impl_internal::Session;
using impl_internal::SessionBegin;
using impl_internal::SessionState;
using impl_internal::StoreState;
using impl_internal::SubjectOwnerKey;
using impl_internal::Uuid;
using snapshot::Reader;
using snapshot::Writer;

// Sections, each exactly once, in this order.
enum SectionTag : uint32_t {
  kClock = 1,
  kCapsules = 2,
  kMemories = 3,
  kMemoryRecords = 4,
  kGalleries = 5,
  kFolders = 6,
  kSessions = 7,
};
constexpr SectionTag kSectionOrder[] = {kClock,     kCapsules, kMemories, kMemoryRecords,
                                        kGalleries, kFolders,  kSessions};
constexpr size_t kSectionCount = sizeof(kSectionOrder) / sizeof(kSectionOrder[0]);

absl::string_view SectionName(uint32_t tag) {
  switch (tag) {
    case kClock:
      return "clock";
    case kCapsules:
      return "capsules";
    case kMemories:
      return "memories";
    case kMemoryRecords:
      return "memory records";
    case kGalleries:
      return "galleries";
    case kFolders:
      return "folders";
    case kSessions:
      return "sessions";
  }
  return "unknown";
}

// The clock may not come near wrapping: AdvanceClock adds without checking for overflow.
constexpr uint64_t kMaxClock = uint64_t{1} << 62;

// Minimum encoded sizes, for Reader::Count.
constexpr size_t kStringMin = 4;
constexpr size_t kUuidBytes = 16;
constexpr size_t kCapsuleMin = kStringMin + 4 + kStringMin + 4;
constexpr size_t kMemoryMin = 8 + 8 + kStringMin + kStringMin;
constexpr size_t kRecordMin = 8 + 8 + 8 + kStringMin + kStringMin + 1;
constexpr size_t kLiveNamedMin = kUuidBytes + 8 + kStringMin;
constexpr size_t kTombstoneMin = kUuidBytes + 8 + 8 + kStringMin;
constexpr size_t kSessionMin = 8 + 8 + kStringMin + kStringMin + 4 + 8 + 1 + 8 + 8 + 8 + 4;
constexpr size_t kChunkMin = 4 + kStringMin;
constexpr size_t kMaxPrincipal = 63;
constexpr size_t kMaxKey = 255;

absl::string_view UuidBytes(const Uuid& id) {
  return absl::string_view(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
}

Uuid ReadUuid(Reader& r, absl::string_view field) {
  Uuid id{};
  absl::string_view raw = r.Raw(kUuidBytes, field);
  if (r.ok()) std::memcpy(id.bytes.data(), raw.data(), kUuidBytes);
  return id;
}

std::string Section(Writer w) { return std::move(w).Finish(); }

// ---- Writing -------------------------------------------------------------------------------

void WritePayload(Writer& w, const GalleryPayload& payload) { w.String(payload.title); }

void WritePayload(Writer& w, const FolderPayload& payload) {
  w.String(payload.name);
  w.U8(payload.parent.has_value() ? 1 : 0);
  if (payload.parent.has_value()) w.Raw(UuidBytes(Uuid::Parse(*payload.parent)));
}

template <typename Payload>
std::string WriteNamed(const StoreState& s,
                       const IntrusiveList<NamedNode<Payload>> Capsule::*listing,
                       const std::deque<NamedNode<Payload>*>& tombstones) {
  Writer live;
  uint32_t live_count = 0;
  for (const std::unique_ptr<Capsule>& c : s.capsules) {
    const IntrusiveList<NamedNode<Payload>>& list = (*c).*listing;
    for (const NamedNode<Payload>* e = list.front(); e != nullptr; e = list.next(e)) {
      live.Raw(UuidBytes(e->id));
      live.U64(e->capsule);
      WritePayload(live, e->payload);
      ++live_count;
    }
  }
  Writer w;
  w.U32(live_count);
  w.Raw(std::move(live).Finish());
  w.U32(static_cast<uint32_t>(tombstones.size()));
  for (const NamedNode<Payload>* e : tombstones) {
    w.Raw(UuidBytes(e->id));
    w.U64(e->capsule);
    w.U64(e->deleted_at);
    WritePayload(w, e->payload);
  }
  return Section(std::move(w));
}

// ---- Reading -------------------------------------------------------------------------------

// Reads one section's contents into the state being restored.
class Restorer {
 public:
  Restorer(StoreState& state, const Limits& limits) : s_(state), limits_(limits) {}

  void ReadClock(Reader& r);
  void ReadCapsules(Reader& r);
  void ReadMemories(Reader& r);
  void ReadMemoryRecords(Reader& r);
  template <typename Payload>
  void ReadNamed(Reader& r, NamedIndex<Payload>& index,
                 IntrusiveList<NamedNode<Payload>> Capsule::*listing,
                 std::deque<NamedNode<Payload>*>& tombstones);
  void ReadSessions(Reader& r);

 private:
  // A capsule ID that must exist; fails at `offset` otherwise.
  Capsule* ReadCapsuleRef(Reader& r, absl::string_view field);
  // A principal that may hold a role or act (valid and not anonymous).
  absl::string_view ReadPrincipal(Reader& r, absl::string_view field);
  void ReadPayload(Reader& r, GalleryPayload& payload);
  void ReadPayload(Reader& r, FolderPayload& payload);

  StoreState& s_;
  const Limits& limits_;
  // Every memory ID restored, live or deleted: IDs are unique per kind (T2).
  absl::flat_hash_set<StoreId> memory_ids_;
};

Capsule* Restorer::ReadCapsuleRef(Reader& r, absl::string_view field) {
  const size_t start = r.offset();
  const StoreId id = r.U64(field);
  if (!r.ok()) return nullptr;
  Capsule* c = s_.FindCapsule(id);
  if (c == nullptr) r.FailAt(start, absl::StrCat(field, " ", id, " names no capsule"));
  return c;
}

absl::string_view Restorer::ReadPrincipal(Reader& r, absl::string_view field) {
  const size_t start = r.offset();
  absl::string_view name = r.String(field, kMaxPrincipal);
  if (r.ok() && (!IsValidPrincipal(name) || name == kAnonymous)) {
    r.FailAt(start, absl::StrCat("malformed or anonymous ", field));
  }
  return name;
}

void Restorer::ReadPayload(Reader& r, GalleryPayload& payload) {
  payload.title = std::string(r.String("gallery title", limits_.max_title_bytes));
}

void Restorer::ReadPayload(Reader& r, FolderPayload& payload) {
  payload.name = std::string(r.String("folder name", limits_.max_title_bytes));
  const size_t flag_offset = r.offset();
  const uint8_t has_parent = r.U8("folder parent flag");
  if (!r.ok()) return;
  if (has_parent > 1) {
    r.FailAt(flag_offset, absl::StrCat("folder parent flag ", has_parent, " is neither 0 nor 1"));
    return;
  }
  if (has_parent == 1) {
    const Uuid parent = ReadUuid(r, "folder parent");
    if (r.ok()) payload.parent = parent.ToString();
  }
}

void Restorer::ReadClock(Reader& r) {
  s_.now = r.U64("clock");
  if (r.ok() && s_.now > kMaxClock) r.FailAt(r.offset() - 8, "clock beyond 2^62 seconds");
  s_.last_capsule = r.U64("capsule counter");
  s_.last_memory = r.U64("memory counter");
  s_.last_session = r.U64("session counter");
  s_.last_blob = r.U64("blob counter");
  r.ExpectEnd("the clock section");
}

void Restorer::ReadCapsules(Reader& r) {
  const size_t count_offset = r.offset();
  const uint32_t count = r.Count("capsule", kCapsuleMin);
  if (r.ok() && count != s_.last_capsule) {
    r.FailAt(count_offset, absl::StrCat(count, " capsules, but the capsule counter is ",
                                        s_.last_capsule, " (capsules are never deleted)"));
  }
  if (!r.ok()) return;
  s_.capsules.reserve(count);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    auto c = std::make_unique<Capsule>();
    c->id = i + 1;
    c->subject = std::string(ReadPrincipal(r, "capsule subject"));
    for (std::vector<std::string>* holders : {&c->owners, &c->controllers}) {
      const bool owners = holders == &c->owners;
      const size_t list_offset = r.offset();
      const uint32_t n = r.Count(owners ? "owner" : "controller", kStringMin);
      if (r.ok() && owners && n == 0) r.FailAt(list_offset, "capsule without an owner");
      if (!r.ok()) return;
      holders->reserve(n);
      for (uint32_t k = 0; k < n && r.ok(); ++k) {
        const size_t start = r.offset();
        absl::string_view name = ReadPrincipal(r, owners ? "owner" : "controller");
        if (r.ok() && !holders->empty() && !(holders->back() < name)) {
          r.FailAt(start, "role holders not sorted and unique");
        }
        holders->emplace_back(name);
      }
    }
    if (!r.ok()) return;
    for (const std::string& owner : c->owners) {  // C1, oldest capsule first
      s_.capsules_by_owner[SubjectOwnerKey(c->subject, owner).view()].push_back(c->id);
    }
    s_.capsules.push_back(std::move(c));
  }
  r.ExpectEnd("the capsules section");
}

void Restorer::ReadMemories(Reader& r) {
  const uint32_t count = r.Count("memory", kMemoryMin);
  if (!r.ok()) return;
  memory_ids_.reserve(count);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const size_t start = r.offset();
    const StoreId id = r.U64("memory ID");
    Capsule* c = ReadCapsuleRef(r, "memory capsule");
    auto memory = std::make_unique<MemoryNode>();
    memory->payload.title = std::string(r.String("memory title", limits_.max_title_bytes));
    memory->payload.content = std::string(r.String("memory content", limits_.max_content_bytes));
    if (!r.ok()) return;
    if (id == 0 || id > s_.last_memory) {
      r.FailAt(start, absl::StrCat("memory ID ", id, " outside 1..", s_.last_memory));
    } else if (c->live_memories.back() != nullptr && c->live_memories.back()->id >= id) {
      r.FailAt(start, absl::StrCat("memory ", id, " out of creation order in its capsule"));
    } else if (!memory_ids_.insert(id).second) {
      r.FailAt(start, absl::StrCat("memory ID ", id, " appears twice"));
    }
    if (!r.ok()) return;
    memory->id = id;
    memory->capsule = c->id;
    MemoryNode* listed = memory.get();
    c->memories.emplace(id, std::move(memory));
    c->live_memories.PushBack(listed);
  }
  r.ExpectEnd("the memories section");
}

void Restorer::ReadMemoryRecords(Reader& r) {
  const uint32_t count = r.Count("memory record", kRecordMin);
  if (!r.ok()) return;
  uint64_t previous = 0;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const size_t start = r.offset();
    Capsule* c = ReadCapsuleRef(r, "record capsule");
    const StoreId memory_id = r.U64("record memory");
    const uint64_t created_at = r.U64("record time");
    absl::string_view caller = ReadPrincipal(r, "record caller");
    const size_t key_offset = r.offset();
    absl::string_view key = r.String("record key", kMaxKey);
    if (r.ok() && (key.empty() || !IsValidIdemKey(key))) {
      r.FailAt(key_offset, "empty or malformed record key");
    }
    const size_t flag_offset = r.offset();
    const uint8_t deleted = r.U8("record memory-deleted flag");
    if (r.ok() && deleted > 1) {
      r.FailAt(flag_offset, absl::StrCat("memory-deleted flag ", deleted, " is neither 0 nor 1"));
    }
    MemoryPayload deleted_payload;
    if (deleted == 1) {
      deleted_payload.title = std::string(r.String("memory title", limits_.max_title_bytes));
      deleted_payload.content = std::string(r.String("memory content", limits_.max_content_bytes));
    }
    if (!r.ok()) return;
    if (created_at < previous || created_at > s_.now) {
      r.FailAt(start, "records out of creation order, or created after the clock");
      return;
    }
    previous = created_at;

    MemoryNode* memory = nullptr;
    if (deleted == 0) {  // the record of a live memory of this capsule
      auto it = c->memories.find(memory_id);
      if (it == c->memories.end() || it->second->has_record) {
        r.FailAt(start, absl::StrCat("record names memory ", memory_id,
                                     ", not a live memory of its capsule without a record"));
        return;
      }
      memory = it->second.get();
    } else if (memory_id == 0 || memory_id > s_.last_memory || memory_ids_.contains(memory_id)) {
      r.FailAt(start,
               absl::StrCat("deleted memory ", memory_id, " is out of range or appears twice"));
      return;
    }
    // Only live records are kept (the window may differ from the writer's); a deleted memory
    // lives only as long as its record (M7).
    if (s_.Expired(created_at, limits_.retention_seconds)) continue;
    if (deleted == 1) {
      memory_ids_.insert(memory_id);
      auto node = std::make_unique<MemoryNode>();
      node->id = memory_id;
      node->capsule = c->id;
      node->payload = std::move(deleted_payload);
      node->deleted = true;
      memory = node.get();
      c->memories.emplace(memory_id, std::move(node));
    }
    auto key_bytes = std::make_unique<char[]>(key.size());
    std::memcpy(key_bytes.get(), key.data(), key.size());
    s_.memory_records.push_back(MemoryRecord{.memory = memory,
                                             .created_at = created_at,
                                             .key = std::move(key_bytes),
                                             .caller = s_.principals.Intern(caller),
                                             .key_size = static_cast<uint8_t>(key.size())});
    memory->has_record = true;
    if (!s_.memory_keys.insert(&s_.memory_records.back()).second) {
      r.FailAt(start, "two live records for one (capsule, caller, key)");
    }
  }
  r.ExpectEnd("the memory records section");
}

template <typename Payload>
void Restorer::ReadNamed(Reader& r, NamedIndex<Payload>& index,
                         IntrusiveList<NamedNode<Payload>> Capsule::*listing,
                         std::deque<NamedNode<Payload>*>& tombstones) {
  for (const bool live : {true, false}) {
    const uint32_t count =
        r.Count(live ? "entity" : "tombstone", live ? kLiveNamedMin : kTombstoneMin);
    if (!r.ok()) return;
    uint64_t previous = 0;
    for (uint32_t i = 0; i < count && r.ok(); ++i) {
      const size_t start = r.offset();
      auto node = std::make_unique<NamedNode<Payload>>();
      node->id = ReadUuid(r, "ID");
      Capsule* c = ReadCapsuleRef(r, "capsule");
      if (!live) {
        node->deleted = true;
        node->deleted_at = r.U64("deletion time");
      }
      ReadPayload(r, node->payload);
      if (!r.ok()) return;
      if (!live) {
        if (node->deleted_at < previous || node->deleted_at > s_.now) {
          r.FailAt(start, "tombstones out of deletion order, or deleted after the clock");
          return;
        }
        previous = node->deleted_at;
        if (s_.Expired(node->deleted_at, limits_.retention_seconds)) continue;  // F4: ID free
      }
      node->capsule = c->id;
      NamedNode<Payload>* restored = node.get();
      if (!index.emplace(node->id, std::move(node)).second) {
        r.FailAt(start, "ID held twice");
        return;
      }
      if (live) {
        ((*c).*listing).PushBack(restored);
      } else {
        tombstones.push_back(restored);
      }
    }
  }
}

void Restorer::ReadSessions(Reader& r) {
  const uint32_t count = r.Count("session", kSessionMin);
  if (!r.ok()) return;
  absl::flat_hash_set<StoreId> blobs;
  StoreId previous_id = 0;
  uint64_t previous_begin = 0;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const size_t start = r.offset();
    auto session = std::make_unique<Session>();
    session->id = r.U64("session ID");
    Capsule* c = ReadCapsuleRef(r, "session capsule");
    absl::string_view caller = ReadPrincipal(r, "session caller");
    const size_t key_offset = r.offset();
    session->key = std::string(r.String("session key", kMaxKey));
    if (r.ok() && !IsValidIdemKey(session->key)) r.FailAt(key_offset, "malformed session key");
    session->expected_chunks = r.U32("expected chunks");
    session->begun_at = r.U64("begin time");
    const uint8_t state = r.U8("session state");
    session->blob = r.U64("blob");
    session->total_len = r.U64("total length");
    session->digest = r.U64("digest");
    const size_t chunks_offset = r.offset();
    const uint32_t chunk_count = r.Count("chunk", kChunkMin);
    if (!r.ok()) return;
    const bool committed = state == static_cast<uint8_t>(SessionState::kCommitted);
    if (session->id <= previous_id || session->id > s_.last_session) {
      r.FailAt(start, absl::StrCat("session ID ", session->id, " out of order or beyond ",
                                   s_.last_session));
    } else if (session->begun_at < previous_begin || session->begun_at > s_.now) {
      r.FailAt(start, "sessions out of begin order, or begun after the clock");
    } else if (session->expected_chunks < 1 ||
               session->expected_chunks > limits_.max_expected_chunks) {
      r.FailAt(start, absl::StrCat("expected chunks ", session->expected_chunks, " out of range"));
    } else if (state > 1) {
      r.FailAt(start, absl::StrCat("session state ", state, " is neither pending nor committed"));
    } else if (committed ? chunk_count != session->expected_chunks
                         : chunk_count > session->expected_chunks) {
      r.FailAt(chunks_offset,
               absl::StrCat(chunk_count, " chunks for ", session->expected_chunks,
                            " expected in a ", committed ? "committed" : "pending", " session"));
    } else if (committed ? session->blob == 0 || session->blob > s_.last_blob ||
                               !blobs.insert(session->blob).second
                         : session->blob != 0 || session->total_len != 0 || session->digest != 0) {
      r.FailAt(start, "blob ID out of range or reused, or a pending session with a result");
    }
    if (!r.ok()) return;
    previous_id = session->id;
    previous_begin = session->begun_at;
    session->state = committed ? SessionState::kCommitted : SessionState::kPending;

    session->chunks.reserve(chunk_count);
    uint64_t length = 0;
    uint64_t fnv = kFnv1a64Offset;
    uint32_t previous_index = 0;
    for (uint32_t k = 0; k < chunk_count && r.ok(); ++k) {
      const size_t chunk_offset = r.offset();
      const uint32_t index = r.U32("chunk index");
      absl::string_view bytes = r.String("chunk", limits_.max_chunk_bytes);
      if (!r.ok()) return;
      if (index >= session->expected_chunks || (k > 0 && index <= previous_index)) {
        r.FailAt(chunk_offset, absl::StrCat("chunk index ", index, " out of order or range"));
        return;
      }
      if (bytes.empty()) {
        r.FailAt(chunk_offset, "empty chunk");
        return;
      }
      previous_index = index;
      length += bytes.size();
      fnv = Fnv1a64(bytes, fnv);
      session->chunks.emplace(index, std::string(bytes));
    }
    if (committed && (length != session->total_len || fnv != session->digest)) {
      r.FailAt(start, "committed session's length or digest does not match its chunks");
      return;
    }
    // U6: an expired pending session is gone (the window may differ from the writer's).
    if (!committed && s_.Expired(session->begun_at, limits_.session_ttl_seconds)) continue;
    session->capsule = c->id;
    session->caller = s_.principals.Intern(caller);
    session->key_indexed =
        !session->key.empty() &&
        (!committed || !s_.Expired(session->begun_at, limits_.retention_seconds));
    Session* restored = session.get();
    s_.session_begins.push_back(SessionBegin{restored->id, restored->begun_at});
    s_.sessions.emplace(restored->id, std::move(session));
    if (!committed) ++c->pending_sessions[restored->caller];
    if (restored->key_indexed && !s_.session_keys.insert(restored).second) {
      r.FailAt(start, "two live sessions for one (capsule, caller, key)");
    }
  }
  r.ExpectEnd("the sessions section");
}

}  // namespace

// ---- ImplStore -----------------------------------------------------------------------------

std::string ImplStore::Snapshot() const {
  const StoreState& s = *state_;
  std::vector<snapshot::Section> sections;
  sections.reserve(kSectionCount);

  Writer clock;
  for (uint64_t v : {s.now, s.last_capsule, s.last_memory, s.last_session, s.last_blob}) {
    clock.U64(v);
  }
  sections.push_back({kClock, Section(std::move(clock))});

  Writer capsules;
  capsules.U32(static_cast<uint32_t>(s.capsules.size()));
  for (const std::unique_ptr<Capsule>& c : s.capsules) {
    capsules.String(c->subject);
    for (const std::vector<std::string>* holders : {&c->owners, &c->controllers}) {
      capsules.U32(static_cast<uint32_t>(holders->size()));
      for (const std::string& name : *holders) capsules.String(name);
    }
  }
  sections.push_back({kCapsules, Section(std::move(capsules))});

  Writer memories;
  uint32_t live_memories = 0;
  for (const std::unique_ptr<Capsule>& c : s.capsules) {
    for (const MemoryNode* m = c->live_memories.front(); m != nullptr;
         m = c->live_memories.next(m)) {
      memories.U64(m->id);
      memories.U64(m->capsule);
      memories.String(m->payload.title);
      memories.String(m->payload.content);
      ++live_memories;
    }
  }
  Writer counted_memories;
  counted_memories.U32(live_memories);
  counted_memories.Raw(std::move(memories).Finish());
  sections.push_back({kMemories, Section(std::move(counted_memories))});

  Writer records;
  records.U32(static_cast<uint32_t>(s.memory_records.size()));
  for (const MemoryRecord& record : s.memory_records) {
    const MemoryNode& m = *record.memory;
    records.U64(m.capsule);
    records.U64(m.id);
    records.U64(record.created_at);
    records.String(s.principals.Name(record.caller));
    records.String(record.key_view());
    records.U8(m.deleted ? 1 : 0);
    if (m.deleted) {  // a live memory's payload is in the memories section
      records.String(m.payload.title);
      records.String(m.payload.content);
    }
  }
  sections.push_back({kMemoryRecords, Section(std::move(records))});

  sections.push_back(
      {kGalleries, WriteNamed<GalleryPayload>(s, &Capsule::galleries, s.gallery_tombstones)});
  sections.push_back(
      {kFolders, WriteNamed<FolderPayload>(s, &Capsule::folders, s.folder_tombstones)});

  std::vector<const Session*> in_begin_order;
  in_begin_order.reserve(s.sessions.size());
  for (const auto& [id, session] : s.sessions) in_begin_order.push_back(session.get());
  std::sort(in_begin_order.begin(), in_begin_order.end(),
            [](const Session* a, const Session* b) { return a->id < b->id; });
  Writer sessions;
  sessions.U32(static_cast<uint32_t>(in_begin_order.size()));
  for (const Session* session : in_begin_order) {
    sessions.U64(session->id);
    sessions.U64(session->capsule);
    sessions.String(s.principals.Name(session->caller));
    sessions.String(session->key);
    sessions.U32(session->expected_chunks);
    sessions.U64(session->begun_at);
    sessions.U8(static_cast<uint8_t>(session->state));
    sessions.U64(session->blob);
    sessions.U64(session->total_len);
    sessions.U64(session->digest);
    std::vector<uint32_t> indexes;
    indexes.reserve(session->chunks.size());
    for (const auto& [index, bytes] : session->chunks) indexes.push_back(index);
    std::sort(indexes.begin(), indexes.end());
    sessions.U32(static_cast<uint32_t>(indexes.size()));
    for (uint32_t index : indexes) {
      sessions.U32(index);
      sessions.String(session->chunks.find(index)->second);
    }
  }
  sections.push_back({kSessions, Section(std::move(sessions))});

  return snapshot::JoinSections(sections);
}

absl::StatusOr<std::unique_ptr<ImplStore>> ImplStore::Restore(absl::string_view bytes,
                                                              const StoreOptions& options) {
  absl::StatusOr<std::vector<snapshot::SectionView>> sections = snapshot::SplitSections(bytes);
  if (!sections.ok()) return sections.status();
  if (sections->size() != kSectionCount) {
    return absl::DataLossError(absl::StrCat("corrupt snapshot: ", sections->size(),
                                            " sections, expected ", kSectionCount, " at offset ",
                                            snapshot::kMagic.size() + 4));
  }
  for (size_t i = 0; i < kSectionCount; ++i) {
    const snapshot::SectionView& section = (*sections)[i];
    if (section.tag != kSectionOrder[i]) {
      return absl::DataLossError(
          absl::StrCat("corrupt snapshot: section ", i, " is '", SectionName(section.tag),
                       "' (tag ", section.tag, "), expected '", SectionName(kSectionOrder[i]),
                       "' at offset ", section.offset - snapshot::kSectionHeaderBytes));
    }
  }

  auto store = std::make_unique<ImplStore>(options);
  StoreState& state = *store->state_;
  Restorer restorer(state, options.limits);
  for (const snapshot::SectionView& section : *sections) {
    Reader r(section.body, section.offset);
    switch (section.tag) {
      case kClock:
        restorer.ReadClock(r);
        break;
      case kCapsules:
        restorer.ReadCapsules(r);
        break;
      case kMemories:
        restorer.ReadMemories(r);
        break;
      case kMemoryRecords:
        restorer.ReadMemoryRecords(r);
        break;
      case kGalleries:
        restorer.ReadNamed(r, state.galleries, &Capsule::galleries, state.gallery_tombstones);
        r.ExpectEnd("the galleries section");
        break;
      case kFolders:
        restorer.ReadNamed(r, state.folders, &Capsule::folders, state.folder_tombstones);
        r.ExpectEnd("the folders section");
        break;
      case kSessions:
        restorer.ReadSessions(r);
        break;
    }
    if (!r.ok()) return r.status();
  }
  // Restored with this store's windows; settles the session deadline cursor.
  state.Purge();
  return store;
}

}  // namespace idemcheck
