// Transient faults for the store under test: the operations a fuzz input marks (decoder.h) fail
// once part-way through, through the store's FaultInjectable capability, and are retried at
// once, as a client retries an error it was told is transient.
//
// A failed operation must change nothing (G5: FaultInjectable's strong guarantee), so a failure
// followed by a retry must be indistinguishable from one call, and the differential runner can
// compare the wrapped store with a reference that ran each operation once. A store that leaves a
// trace of the failed attempt (a record written before the failure, a counter bumped) answers
// the retry or a later step differently, or ends in another state.
//
// Stores without the capability are called once per operation: the marks change nothing.

#ifndef IDEMCHECK_FUZZ_TRANSIENT_FAULTS_H_
#define IDEMCHECK_FUZZ_TRANSIENT_FAULTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fuzz/decoder.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/forwarding_store.h"

namespace idemcheck::fuzz {

class TransientFaults final : public ForwardingStore {
 public:
  // `faults` index operations in the order the store receives them (each Driver::Apply is one
  // operation; Observe is not one).
  TransientFaults(std::unique_ptr<Store> inner, std::vector<Fault> faults);

  // How many marked operations failed and were retried.
  size_t retried() const { return retried_; }

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
  absl::Status Upgrade() override;

 private:
  // Runs one operation: armed and then retried if it is marked and the fault fired with the
  // injected error, as it is otherwise.
  template <typename Call>
  auto Run(Call call) -> decltype(call());

  FaultInjectable* injectable_;  // the inner store's capability, or nullptr
  std::vector<Fault> faults_;
  size_t next_fault_ = 0;
  size_t operations_ = 0;
  size_t retried_ = 0;
};

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_TRANSIENT_FAULTS_H_
