// The optimized capsule store: the same contract as the reference (SEMANTICS.md), built for speed
// and memory, and able to survive an upgrade (T2) through a versioned snapshot.
//
// Every create, replay, read and idempotency lookup is expected O(1) in the number of stored
// entities and records; expiry (M8, F4, U6) is amortized O(1) per operation through time-ordered
// queues; replaying a memory create allocates nothing. docs/impl.md describes each index.
//
// Every operation is atomic with the strong guarantee: all fallible steps (allocations) happen
// before the first visible change, so an operation that fails (an allocation failure or a fault
// armed through FaultInjectable) leaves the store exactly as it was.
//
// Not thread-safe. Registered as "impl", and as "impl/weak-hash" with a 4-bit lookup hash that
// forces idempotency-index collisions (M9).

#ifndef IDEMCHECK_IMPL_IMPL_STORE_H_
#define IDEMCHECK_IMPL_IMPL_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"
#include "impl/fault_schedule.h"

namespace idemcheck {

namespace impl_internal {  // impl/impl_state.h
class StoreState;
struct Capsule;
struct Session;
}  // namespace impl_internal

class ImplStore final : public Store, public FaultInjectable {
 public:
  explicit ImplStore(const StoreOptions& options = {});
  ~ImplStore() override;

  ImplStore(const ImplStore&) = delete;
  ImplStore& operator=(const ImplStore&) = delete;

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
  // Snapshot, then Restore into a fresh state with this store's options, then continue from it.
  absl::Status Upgrade() override;

  std::vector<CapsuleView> Observe() const override;

  // Everything the store holds, in the versioned binary format of docs/snapshot-format.md:
  // entities, records, tombstones, pending and committed sessions with their chunks, the clock
  // and the ID counters (T2).
  std::string Snapshot() const;

  // A store holding exactly what `bytes` describes, built with `options`. Bytes that are not a
  // valid snapshot give absl::DataLossError (the contract's Corrupt) with a message naming the
  // defect and its byte offset (T3). Never crashes, and allocates at most a small multiple of
  // bytes.size(): every count is checked against the bytes that remain before anything is
  // reserved.
  static absl::StatusOr<std::unique_ptr<ImplStore>> Restore(absl::string_view bytes,
                                                            const StoreOptions& options);

  // FaultInjectable: step k is the k-th allocation or first mutation inside the next operation.
  void ArmFault(uint64_t step) override;
  bool FaultFired() const override;

 private:
  // Galleries and folders share their logic; Payload is GalleryPayload or FolderPayload.
  template <typename Payload>
  absl::Status CreateNamed(impl_internal::Capsule& capsule, absl::string_view id,
                           const Payload& payload);
  template <typename Payload>
  absl::StatusOr<Payload> GetNamed(absl::string_view caller, StoreId capsule, absl::string_view id);
  template <typename Payload>
  absl::Status DeleteNamed(absl::string_view caller, StoreId capsule, absl::string_view id);
  template <typename Entry, typename Payload>
  absl::StatusOr<std::vector<Entry>> ListNamed(absl::string_view caller, StoreId capsule);
  // U3: the session `caller` may act on, or NotFound / Unauthorized.
  absl::StatusOr<impl_internal::Session*> CheckSession(absl::string_view caller, StoreId session);

  StoreOptions options_;
  std::unique_ptr<impl_internal::StoreState> state_;
  FaultSchedule faults_;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_IMPL_IMPL_STORE_H_
