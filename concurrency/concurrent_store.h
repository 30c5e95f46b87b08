// A thread-safe capsule store: many threads may call any operation at once, and every operation
// takes effect atomically at one instant between its call and its return (linearizability).
//
// Capsules are sharded: capsule k lives in shard k % shards, and so do its memories, records,
// upload sessions, galleries and folders. Every ID that a shard hands out encodes that shard
// (id % shards), so an operation that names only a session still finds its shard. An operation on
// one capsule holds only its shard's mutex, so operations on capsules of different shards never
// contend. The namespaces that span capsules sit behind striped mutexes:
//
//   subject stripes  the (subject -> capsules in creation order) index behind C1
//   gallery stripes  the global gallery ID namespace (F1), one stripe per hash of the ID
//   folder stripes   the same for folder IDs
//
// Lock order, always: subject stripe, then shard, then gallery or folder stripe. AdvanceClock and
// Observe take every shard in index order and nothing else; the clock is written only with every
// shard held, so reading it under any one shard is race-free.
//
// Create-if-absent is atomic per key: the lookup of an idempotency record and the insert of the
// entity and its record happen in one critical section of the capsule's shard (memories, sessions)
// or of the shard and the ID's stripe (galleries, folders).

#ifndef IDEMCHECK_CONCURRENCY_CONCURRENT_STORE_H_
#define IDEMCHECK_CONCURRENCY_CONCURRENT_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck {

struct ConcurrentStoreTuning {
  size_t shards = 16;
  size_t stripes = 16;
  // The race mutant only: look up a memory's idempotency record and insert the memory in two
  // separate critical sections, as a store that does them in two round trips would. Correct when
  // calls never overlap; two overlapping creates with one key may both miss and both insert.
  bool split_memory_check_and_insert = false;
};

class ConcurrentStore final : public Store {
 public:
  explicit ConcurrentStore(const StoreOptions& options = {}, ConcurrentStoreTuning tuning = {});

  absl::StatusOr<StoreId> CreateCapsule(absl::string_view caller,
                                        absl::string_view subject) override;
  absl::Status Grant(absl::string_view caller, StoreId capsule, absl::string_view principal,
                     Role role) override;
  absl::Status Revoke(absl::string_view caller, StoreId capsule, absl::string_view principal,
                      Role role) override;

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override;
  absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) override;
  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override;
  absl::StatusOr<std::vector<StoredMemory>> ListMemories(absl::string_view caller,
                                                         StoreId capsule) override;

  absl::Status CreateGallery(absl::string_view caller, StoreId capsule, absl::string_view id,
                             const GalleryPayload& payload) override;
  absl::StatusOr<GalleryPayload> GetGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) override;
  absl::Status DeleteGallery(absl::string_view caller, StoreId capsule,
                             absl::string_view id) override;
  absl::StatusOr<std::vector<GalleryEntry>> ListGalleries(absl::string_view caller,
                                                          StoreId capsule) override;
  absl::Status CreateFolder(absl::string_view caller, StoreId capsule, absl::string_view id,
                            const FolderPayload& payload) override;
  absl::StatusOr<FolderPayload> GetFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id) override;
  absl::Status DeleteFolder(absl::string_view caller, StoreId capsule,
                            absl::string_view id) override;
  absl::StatusOr<std::vector<FolderEntry>> ListFolders(absl::string_view caller,
                                                       StoreId capsule) override;

  absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                      uint32_t expected_chunks, absl::string_view key) override;
  absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                        absl::string_view bytes) override;
  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override;
  absl::Status AbortUpload(absl::string_view caller, StoreId session) override;

  absl::Status AdvanceClock(uint64_t seconds) override;
  // All state lives in this object: an upgrade is the identity, as for the reference.
  absl::Status Upgrade() override { return absl::OkStatus(); }

  std::vector<CapsuleView> Observe() const override;

 private:
  // A gallery or folder. `id`, `capsule` and `payload` never change; `deleted` and `deleted_at`
  // are written with both the capsule's shard and the ID's stripe held, and read with either.
  template <typename Payload>
  struct Named {
    std::string id;
    StoreId capsule;
    Payload payload;
    bool deleted = false;
    uint64_t deleted_at = 0;
  };
  template <typename Payload>
  using NamedPtr = std::shared_ptr<Named<Payload>>;

  struct Memory {
    StoreId id;
    MemoryPayload payload;
    bool deleted = false;
  };
  struct MemoryRecord {  // M3
    MemoryPayload payload;
    StoreId memory;
    uint64_t created_at;
  };
  enum class SessionState { kPending, kCommitted, kAborted };
  struct Session {
    StoreId capsule;
    std::string caller;
    uint32_t expected_chunks;
    uint64_t begun_at;
    SessionState state = SessionState::kPending;
    std::map<uint32_t, std::string> chunks;
    StoreId blob = 0;
    uint64_t total_len = 0;
    uint64_t digest = 0;
  };
  // (caller, key): the scope of a record inside one capsule (M6, U1).
  using RecordKey = std::pair<std::string, std::string>;

  template <typename Payload>
  struct NamedList {
    std::vector<NamedPtr<Payload>> in_order;                    // creation order (R3)
    absl::flat_hash_map<std::string, NamedPtr<Payload>> by_id;  // the latest with each ID
  };
  struct Capsule {
    StoreId id;
    std::string subject;
    std::vector<std::string> owners;
    std::vector<std::string> controllers;
    std::vector<Memory> memories;                                 // creation order
    absl::flat_hash_map<StoreId, size_t> memory_at;               // index into `memories`
    absl::flat_hash_map<RecordKey, MemoryRecord> memory_records;  // the latest per key
    absl::flat_hash_map<RecordKey, StoreId> session_records;      // the latest per key
    std::vector<StoreId> sessions;                                // begin order
    NamedList<GalleryPayload> galleries;
    NamedList<FolderPayload> folders;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<StoreId, Capsule> capsules;
    absl::flat_hash_map<StoreId, Session> sessions;
    uint64_t last_local = 0;  // sequence behind the memory, session and blob IDs of this shard
  };
  template <typename Payload>
  struct NamedStripe {
    std::mutex mu;
    absl::flat_hash_map<std::string, NamedPtr<Payload>> holders;  // the latest with each ID
  };
  struct SubjectStripe {
    std::mutex mu;
    absl::flat_hash_map<std::string, std::vector<StoreId>> capsules;  // creation order
  };

  size_t ShardOf(StoreId id) const { return id % shards_.size(); }
  size_t StripeOf(absl::string_view text) const;
  // A fresh memory, session or blob ID of shard `shard`; call with its mutex held.
  StoreId NextLocalId(size_t shard);

  // G2, G3 with the shard held: the capsule, or NotFound / Unauthorized.
  absl::StatusOr<Capsule*> CheckCapsuleAccess(Shard& shard, absl::string_view caller,
                                              StoreId capsule);
  // U3 with the shard held: the session the caller may act on, or NotFound / Unauthorized.
  absl::StatusOr<Session*> CheckSession(Shard& shard, absl::string_view caller, StoreId session);
  bool IsLive(const MemoryRecord& record) const;  // M8
  bool IsExpired(const Session& session) const;   // U6
  bool HasLiveRecord(const Session& session) const;
  template <typename Payload>
  bool HoldsId(const Named<Payload>& entity) const;  // F4

  absl::Status ChangeRole(absl::string_view caller, StoreId capsule, absl::string_view principal,
                          Role role, bool grant);
  absl::StatusOr<StoreId> InsertMemory(Capsule& capsule, size_t shard, absl::string_view caller,
                                       const MemoryPayload& payload, absl::string_view key);
  template <typename Payload>
  absl::Status CreateNamed(NamedStripe<Payload>& stripe, NamedList<Payload> Capsule::*list,
                           Capsule& capsule, absl::string_view id, const Payload& payload);
  template <typename Payload>
  absl::StatusOr<Payload> GetNamed(NamedList<Payload> Capsule::*list, absl::string_view caller,
                                   StoreId capsule, absl::string_view id);
  template <typename Payload>
  absl::Status DeleteNamed(std::vector<NamedStripe<Payload>>& stripes,
                           NamedList<Payload> Capsule::*list, absl::string_view caller,
                           StoreId capsule, absl::string_view id);
  template <typename Entry, typename Payload>
  absl::StatusOr<std::vector<Entry>> ListNamed(NamedList<Payload> Capsule::*list,
                                               absl::string_view caller, StoreId capsule);

  const Limits limits_;
  const LookupHash hash_;
  const bool split_memory_check_and_insert_;
  uint64_t now_ = 0;  // written with every shard held, read with any one
  std::atomic<StoreId> last_capsule_{0};
  std::vector<Shard> shards_;
  std::vector<SubjectStripe> subjects_;
  std::vector<NamedStripe<GalleryPayload>> galleries_;
  std::vector<NamedStripe<FolderPayload>> folders_;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_CONCURRENCY_CONCURRENT_STORE_H_
