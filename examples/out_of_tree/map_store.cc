// An out-of-tree capsule store: a complete, correct implementation of the `Store` interface in one
// file, built on ordered maps and hash indexes. It is meant as a starting point for your own
// store; docs/out-of-tree.md walks through compiling it into idemcheck and checking it:
//
//   cmake -S . -B build/mine -DIDEMCHECK_EXTRA_IMPL=$PWD/examples/out_of_tree/map_store.cc
//   cmake --build build/mine --target idemcheck_cli
//   build/mine/tools/idemcheck check --impl example/map-store
//
// Each decision names the rule of SEMANTICS.md it implements. Every check runs before the first
// change, so a call that fails changes nothing (G5). Not thread-safe.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"
#include "idemcheck/values.h"

namespace example {

using idemcheck::CapsuleView;
using idemcheck::FolderEntry;
using idemcheck::FolderPayload;
using idemcheck::GalleryEntry;
using idemcheck::GalleryPayload;
using idemcheck::Limits;
using idemcheck::MemoryPayload;
using idemcheck::Role;
using idemcheck::StoredMemory;
using idemcheck::StoreId;

class MapStore final : public idemcheck::Store {
 public:
  explicit MapStore(const idemcheck::StoreOptions& options) : limits_(options.limits) {}

  // ---- Capsules and access (C1, C2, A1, A2) ----

  absl::StatusOr<StoreId> CreateCapsule(absl::string_view caller,
                                        absl::string_view subject) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (!idemcheck::IsValidPrincipal(subject) || subject == idemcheck::kAnonymous) {
      return Invalid("malformed or anonymous subject");  // C2
    }
    if (caller == idemcheck::kAnonymous) return Denied();  // C2
    for (const auto& [id, c] : capsules_) {                // C1: the oldest owned one
      if (c.subject == subject && Has(c.owners, caller)) return id;
    }
    const StoreId id = ++last_capsule_;
    capsules_[id] = Capsule{std::string(subject), {std::string(caller)}, {}};
    return id;
  }

  absl::Status Grant(absl::string_view caller, StoreId capsule, absl::string_view principal,
                     Role role) override {
    absl::StatusOr<Capsule*> c = OwnedCapsule(caller, capsule, principal);
    if (!c.ok()) return c.status();
    std::vector<std::string>& holders = Holders(**c, role);
    if (!Has(holders, principal)) holders.emplace_back(principal);  // A2: held is Ok
    return absl::OkStatus();
  }

  absl::Status Revoke(absl::string_view caller, StoreId capsule, absl::string_view principal,
                      Role role) override {
    absl::StatusOr<Capsule*> c = OwnedCapsule(caller, capsule, principal);
    if (!c.ok()) return c.status();
    std::vector<std::string>& holders = Holders(**c, role);
    if (!Has(holders, principal)) return absl::OkStatus();  // A2: not held is Ok
    if (role == Role::kOwner && holders.size() == 1) {
      return absl::AbortedError("cannot revoke the last owner");  // A2
    }
    holders.erase(std::find(holders.begin(), holders.end(), principal));
    return absl::OkStatus();
  }

  // ---- Memories (M1-M9) ----

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (payload.title.size() > limits_.max_title_bytes) return Invalid("title too long");
    if (payload.content.size() > limits_.max_content_bytes) return Invalid("content too long");
    if (!idemcheck::IsValidIdemKey(key)) return Invalid("malformed idempotency key");
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;  // G2, G3
    const Scope scope{capsule, std::string(caller), std::string(key)};
    if (!key.empty()) {  // M2: no key, no record
      auto r = memory_records_.find(scope);
      if (r != memory_records_.end() && Live(r->second.created_at)) {      // M8
        if (r->second.payload == payload) return r->second.memory;         // M4, M7
        return absl::AbortedError("key reused with a different payload");  // M5
      }
    }
    const StoreId id = ++last_memory_;  // M3: never reused, not even after a delete
    memories_[id] = Memory{capsule, payload};
    if (!key.empty()) memory_records_[scope] = MemoryRecord{id, payload, now_};
    return id;
  }

  absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) override {
    if (absl::Status s = CheckReader(caller, capsule); !s.ok()) return s;
    auto m = memories_.find(memory);
    if (m == memories_.end() || m->second.capsule != capsule) return NoEntity();  // R1
    return m->second.payload;
  }

  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override {
    if (absl::Status s = CheckReader(caller, capsule); !s.ok()) return s;
    auto m = memories_.find(memory);
    if (m == memories_.end() || m->second.capsule != capsule) return NoEntity();  // R2
    memories_.erase(m);  // M7: the record stays in memory_records_
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<StoredMemory>> ListMemories(absl::string_view caller,
                                                         StoreId capsule) override {
    if (absl::Status s = CheckReader(caller, capsule); !s.ok()) return s;
    std::vector<StoredMemory> listed;  // R3: IDs grow, so map order is creation order
    for (const auto& [id, m] : memories_) {
      if (m.capsule == capsule) listed.push_back({id, m.payload});
    }
    return listed;
  }

  // ---- Galleries and folders (F1-F5) ----

  absl::Status CreateGallery(absl::string_view caller, StoreId capsule, absl::string_view id,
                             const GalleryPayload& payload) override {
    if (absl::Status s = CheckNamedArgs(caller, id, payload.title); !s.ok()) return s;
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;
    return CreateNamed(galleries_, capsule, id, payload);
  }
  absl::StatusOr<GalleryPayload> GetGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) override {
    return GetNamed(galleries_, caller, capsule, id);
  }
  absl::Status DeleteGallery(absl::string_view caller, StoreId capsule,
                             absl::string_view id) override {
    return DeleteNamed(galleries_, caller, capsule, id);
  }
  absl::StatusOr<std::vector<GalleryEntry>> ListGalleries(absl::string_view caller,
                                                          StoreId capsule) override {
    return ListNamed<GalleryEntry>(galleries_, caller, capsule);
  }

  absl::Status CreateFolder(absl::string_view caller, StoreId capsule, absl::string_view id,
                            const FolderPayload& payload) override {
    if (absl::Status s = CheckNamedArgs(caller, id, payload.name); !s.ok()) return s;
    if (payload.parent.has_value() && !idemcheck::IsValidUuid(*payload.parent)) {
      return Invalid("parent is not a canonical lowercase UUID");  // G1
    }
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;
    // A replay of a folder that holds its ID succeeds even if its parent has gone since (F3, F4
    // before F5).
    auto held = folders_.find(std::string(id));
    if ((held == folders_.end() || !HoldsId(held->second)) && payload.parent.has_value()) {
      auto parent = folders_.find(*payload.parent);
      if (parent == folders_.end() || parent->second.deleted || parent->second.capsule != capsule) {
        return Invalid("parent is not a live folder in this capsule");  // F5
      }
    }
    return CreateNamed(folders_, capsule, id, payload);
  }
  absl::StatusOr<FolderPayload> GetFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id) override {
    return GetNamed(folders_, caller, capsule, id);
  }
  absl::Status DeleteFolder(absl::string_view caller, StoreId capsule,
                            absl::string_view id) override {
    return DeleteNamed(folders_, caller, capsule, id);
  }
  absl::StatusOr<std::vector<FolderEntry>> ListFolders(absl::string_view caller,
                                                       StoreId capsule) override {
    return ListNamed<FolderEntry>(folders_, caller, capsule);
  }

  // ---- Uploads (U1-U6) ----

  absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                      uint32_t expected_chunks, absl::string_view key) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (expected_chunks < 1 || expected_chunks > limits_.max_expected_chunks) {
      return Invalid("expected chunks out of range");
    }
    if (!idemcheck::IsValidIdemKey(key)) return Invalid("malformed idempotency key");
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;  // G2, G3
    const Scope scope{capsule, std::string(caller), std::string(key)};
    if (!key.empty()) {
      auto held = upload_records_.find(scope);
      if (held != upload_records_.end() && HoldsKey(sessions_.at(held->second))) {
        // U1: pending or committed, never reset.
        if (sessions_.at(held->second).expected_chunks == expected_chunks) return held->second;
        return absl::AbortedError("key reused with different expected chunks");
      }
    }
    uint32_t pending = 0;  // U2: only a new session counts
    for (const auto& [id, s] : sessions_) {
      pending +=
          s.capsule == capsule && s.caller == caller && s.state == State::kPending && !Expired(s);
    }
    if (pending >= limits_.max_pending_sessions) {
      return absl::ResourceExhaustedError("too many pending upload sessions");
    }
    const StoreId id = ++last_session_;
    sessions_[id] = Session{capsule, std::string(caller), expected_chunks, now_};
    if (!key.empty()) upload_records_[scope] = id;
    return id;
  }

  absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                        absl::string_view bytes) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (bytes.empty() || bytes.size() > limits_.max_chunk_bytes) {
      return Invalid("chunk size out of range");
    }
    absl::StatusOr<Session*> found = FindSession(caller, session);
    if (!found.ok()) return found.status();
    Session& s = **found;
    if (index >= s.expected_chunks) return Invalid("index out of range");  // U3
    auto chunk = s.chunks.find(index);
    if (chunk != s.chunks.end()) {  // U3: an exact repeat is Ok, also after commit
      if (chunk->second == bytes) return absl::OkStatus();
      return absl::AbortedError("chunk already received with other bytes");
    }
    if (s.state == State::kCommitted) return absl::AbortedError("session already committed");
    s.chunks.emplace(index, std::string(bytes));
    return absl::OkStatus();
  }

  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    absl::StatusOr<Session*> found = FindSession(caller, session);
    if (!found.ok()) return found.status();
    Session& s = **found;
    if (s.state == State::kCommitted) {  // U4: a retry replays the blob
      if (s.total_len == total_len && s.digest == digest) return s.blob;
      return absl::AbortedError("session committed with another length or digest");
    }
    if (s.chunks.size() != s.expected_chunks) return Invalid("missing chunks");  // U4
    uint64_t length = 0;
    uint64_t fnv = idemcheck::kFnv1a64Offset;
    for (const auto& [index, bytes] : s.chunks) {  // index order
      length += bytes.size();
      fnv = idemcheck::Fnv1a64(bytes, fnv);
    }
    if (length != total_len) return Invalid("length does not match the chunks");
    if (fnv != digest) return Invalid("digest does not match the chunks");
    s.state = State::kCommitted;
    s.blob = ++last_blob_;
    s.total_len = total_len;
    s.digest = digest;
    return s.blob;
  }

  absl::Status AbortUpload(absl::string_view caller, StoreId session) override {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    absl::StatusOr<Session*> found = FindSession(caller, session);
    if (!found.ok()) return found.status();
    if ((*found)->state == State::kCommitted) {
      return absl::AbortedError("session already committed");  // U5
    }
    (*found)->state = State::kAborted;  // U5: the key is released (HoldsKey)
    return absl::OkStatus();
  }

  // ---- Clock, upgrade, observation (T1, T2, E1) ----

  absl::Status AdvanceClock(uint64_t seconds) override {
    if (seconds > limits_.max_clock_advance_seconds) return Invalid("clock advance too large");
    now_ += seconds;
    return absl::OkStatus();
  }

  // Everything lives in this object, so an upgrade keeps it all (T2). A store with real
  // persistence would serialize here and continue from a restored instance.
  absl::Status Upgrade() override { return absl::OkStatus(); }

  std::vector<CapsuleView> Observe() const override {
    std::vector<CapsuleView> views;
    for (const auto& [id, c] : capsules_) {  // creation order: IDs grow
      CapsuleView view{
          .id = id, .subject = c.subject, .owners = c.owners, .controllers = c.controllers};
      std::sort(view.owners.begin(), view.owners.end());
      std::sort(view.controllers.begin(), view.controllers.end());
      for (const auto& [mid, m] : memories_) {
        if (m.capsule == id) view.memories.push_back({mid, m.payload});
      }
      view.galleries = LiveIn<GalleryEntry>(galleries_, id);
      view.folders = LiveIn<FolderEntry>(folders_, id);
      views.push_back(std::move(view));
    }
    return views;
  }

 private:
  struct Capsule {
    std::string subject;
    std::vector<std::string> owners;
    std::vector<std::string> controllers;
  };
  struct Memory {
    StoreId capsule;
    MemoryPayload payload;
  };
  // (capsule, caller, key): the scope of a memory or upload record (M6, U1).
  using Scope = std::tuple<StoreId, std::string, std::string>;
  struct MemoryRecord {
    StoreId memory;
    MemoryPayload payload;
    uint64_t created_at;
  };
  // A gallery or folder, or once deleted its tombstone (F4).
  template <typename Payload>
  struct Named {
    StoreId capsule;
    Payload payload;
    uint64_t created;  // creation sequence number, for R3 order
    bool deleted = false;
    uint64_t deleted_at = 0;
  };
  enum class State { kPending, kCommitted, kAborted };
  struct Session {
    StoreId capsule;
    std::string caller;
    uint32_t expected_chunks;
    uint64_t begun_at;
    State state = State::kPending;
    std::map<uint32_t, std::string> chunks;
    StoreId blob = 0;
    uint64_t total_len = 0;
    uint64_t digest = 0;
  };

  static absl::Status Invalid(absl::string_view why) { return absl::InvalidArgumentError(why); }
  static absl::Status Denied() { return absl::PermissionDeniedError("no access"); }
  static absl::Status NoEntity() { return absl::NotFoundError("no such entity in this capsule"); }
  static bool Has(const std::vector<std::string>& list, absl::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  }
  static std::vector<std::string>& Holders(Capsule& c, Role role) {
    return role == Role::kOwner ? c.owners : c.controllers;
  }

  bool Live(uint64_t created_at) const {  // M8
    return now_ - created_at < limits_.retention_seconds;
  }

  // G2, G3 (A1): owners and controllers have access, nobody else.
  absl::Status CheckAccess(absl::string_view caller, StoreId capsule) const {
    auto c = capsules_.find(capsule);
    if (c == capsules_.end()) return absl::NotFoundError("no such capsule");
    if (!Has(c->second.owners, caller) && !Has(c->second.controllers, caller)) return Denied();
    return absl::OkStatus();
  }
  absl::Status CheckReader(absl::string_view caller, StoreId capsule) const {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    return CheckAccess(caller, capsule);
  }

  // G1-G3 of Grant and Revoke: only owners change roles (A2).
  absl::StatusOr<Capsule*> OwnedCapsule(absl::string_view caller, StoreId capsule,
                                        absl::string_view principal) {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");
    if (!idemcheck::IsValidPrincipal(principal) || principal == idemcheck::kAnonymous) {
      return Invalid("role holder must be a non-anonymous principal");
    }
    auto c = capsules_.find(capsule);
    if (c == capsules_.end()) return absl::NotFoundError("no such capsule");
    if (!Has(c->second.owners, caller)) return Denied();
    return &c->second;
  }

  absl::Status CheckNamedArgs(absl::string_view caller, absl::string_view id,
                              absl::string_view title) const {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");
    if (!idemcheck::IsValidUuid(id)) return Invalid("ID is not a canonical lowercase UUID");
    if (title.size() > limits_.max_title_bytes) return Invalid("title too long");
    return absl::OkStatus();
  }

  // F4: an ID is held by a live entity or by a tombstone younger than the retention window.
  template <typename Payload>
  bool HoldsId(const Named<Payload>& e) const {
    return !e.deleted || Live(e.deleted_at);
  }

  template <typename Payload>
  absl::Status CreateNamed(std::map<std::string, Named<Payload>>& entities, StoreId capsule,
                           absl::string_view id, const Payload& payload) {
    auto it = entities.find(std::string(id));
    if (it != entities.end() && HoldsId(it->second)) {                       // F1: IDs are global
      if (it->second.capsule == capsule && it->second.payload == payload) {  // F3, F4
        return absl::OkStatus();
      }
      return absl::AbortedError("ID is taken by another capsule or payload");
    }
    entities.insert_or_assign(std::string(id), Named<Payload>{capsule, payload, ++last_named_});
    return absl::OkStatus();  // F2
  }

  template <typename Payload>
  absl::StatusOr<Payload> GetNamed(const std::map<std::string, Named<Payload>>& entities,
                                   absl::string_view caller, StoreId capsule,
                                   absl::string_view id) const {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (!idemcheck::IsValidUuid(id)) return Invalid("ID is not a canonical lowercase UUID");
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;
    auto it = entities.find(std::string(id));
    if (it == entities.end() || it->second.deleted || it->second.capsule != capsule) {
      return NoEntity();  // R1
    }
    return it->second.payload;
  }

  template <typename Payload>
  absl::Status DeleteNamed(std::map<std::string, Named<Payload>>& entities,
                           absl::string_view caller, StoreId capsule, absl::string_view id) {
    if (!idemcheck::IsValidPrincipal(caller)) return Invalid("malformed caller");  // G1
    if (!idemcheck::IsValidUuid(id)) return Invalid("ID is not a canonical lowercase UUID");
    if (absl::Status s = CheckAccess(caller, capsule); !s.ok()) return s;
    auto it = entities.find(std::string(id));
    if (it == entities.end() || it->second.deleted || it->second.capsule != capsule) {
      return NoEntity();  // R2: this capsule only; a second delete is NotFound
    }
    it->second.deleted = true;  // F4: a tombstone
    it->second.deleted_at = now_;
    return absl::OkStatus();
  }

  // R3: the live entities of one capsule in creation order.
  template <typename Entry, typename Payload>
  static std::vector<Entry> LiveIn(const std::map<std::string, Named<Payload>>& entities,
                                   StoreId capsule) {
    std::vector<std::pair<uint64_t, Entry>> live;
    for (const auto& [id, e] : entities) {
      if (e.capsule == capsule && !e.deleted) live.push_back({e.created, Entry{id, e.payload}});
    }
    std::sort(live.begin(), live.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Entry> listed;
    for (auto& [created, entry] : live) listed.push_back(std::move(entry));
    return listed;
  }

  template <typename Entry, typename Payload>
  absl::StatusOr<std::vector<Entry>> ListNamed(
      const std::map<std::string, Named<Payload>>& entities, absl::string_view caller,
      StoreId capsule) const {
    if (absl::Status s = CheckReader(caller, capsule); !s.ok()) return s;
    return LiveIn<Entry>(entities, capsule);
  }

  bool Expired(const Session& s) const {  // U6: only pending sessions expire
    return s.state == State::kPending && now_ - s.begun_at >= limits_.session_ttl_seconds;
  }
  // U1, U6: a pending session holds its key until it expires or is aborted, a committed one for
  // the retention window from its begin.
  bool HoldsKey(const Session& s) const {
    switch (s.state) {
      case State::kPending:
        return !Expired(s);
      case State::kCommitted:
        return Live(s.begun_at);
      case State::kAborted:
        return false;
    }
    return false;
  }

  // U3: unknown, aborted or expired -> NotFound; another caller, or one who lost access to the
  // capsule -> Unauthorized.
  absl::StatusOr<Session*> FindSession(absl::string_view caller, StoreId session) {
    auto it = sessions_.find(session);
    if (it == sessions_.end() || it->second.state == State::kAborted || Expired(it->second)) {
      return absl::NotFoundError("no such upload session");
    }
    Session& s = it->second;
    if (s.caller != caller || !CheckAccess(caller, s.capsule).ok()) {
      return absl::PermissionDeniedError("not this session's caller, or no write access");
    }
    return &s;
  }

  Limits limits_;
  uint64_t now_ = 0;
  StoreId last_capsule_ = 0;
  StoreId last_memory_ = 0;
  StoreId last_session_ = 0;
  StoreId last_blob_ = 0;
  uint64_t last_named_ = 0;

  std::map<StoreId, Capsule> capsules_;
  std::map<StoreId, Memory> memories_;  // live memories only
  absl::flat_hash_map<Scope, MemoryRecord> memory_records_;
  std::map<std::string, Named<GalleryPayload>> galleries_;
  std::map<std::string, Named<FolderPayload>> folders_;
  std::map<StoreId, Session> sessions_;
  absl::flat_hash_map<Scope, StoreId> upload_records_;
};

IDEMCHECK_REGISTER_STORE(
    example_map_store,
    {
        .name = "example/map-store",
        .kind = idemcheck::StoreKind::kExternal,
        .description = "out-of-tree example: ordered maps and hash indexes",
        .factory = [](const idemcheck::StoreOptions& options) -> std::unique_ptr<idemcheck::Store> {
          return std::make_unique<MapStore>(options);
        },
    });

}  // namespace example
