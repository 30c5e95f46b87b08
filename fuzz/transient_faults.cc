#include "fuzz/transient_faults.h"

#include <memory>
#include <utility>
#include <vector>

namespace idemcheck::fuzz {
namespace {

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

}  // namespace

TransientFaults::TransientFaults(std::unique_ptr<Store> inner, std::vector<Fault> faults)
    : ForwardingStore(std::move(inner)),
      injectable_(dynamic_cast<FaultInjectable*>(&this->inner())),
      faults_(std::move(faults)) {}

template <typename Call>
auto TransientFaults::Run(Call call) -> decltype(call()) {
  const size_t operation = operations_++;
  if (injectable_ == nullptr || next_fault_ >= faults_.size() ||
      faults_[next_fault_].op != operation) {
    return call();
  }
  injectable_->ArmFault(faults_[next_fault_++].step);
  auto first = call();
  // Anything but the injected error is the store's answer, right or wrong, and is not retried.
  if (!injectable_->FaultFired() || StatusOf(first).code() != absl::StatusCode::kUnavailable) {
    return first;
  }
  ++retried_;
  return call();
}

absl::StatusOr<StoreId> TransientFaults::CreateCapsule(absl::string_view caller,
                                                       absl::string_view subject) {
  return Run([&] { return inner().CreateCapsule(caller, subject); });
}
absl::Status TransientFaults::Grant(absl::string_view caller, StoreId capsule,
                                    absl::string_view principal, Role role) {
  return Run([&] { return inner().Grant(caller, capsule, principal, role); });
}
absl::Status TransientFaults::Revoke(absl::string_view caller, StoreId capsule,
                                     absl::string_view principal, Role role) {
  return Run([&] { return inner().Revoke(caller, capsule, principal, role); });
}
absl::StatusOr<StoreId> TransientFaults::CreateMemory(absl::string_view caller, StoreId capsule,
                                                      const MemoryPayload& payload,
                                                      absl::string_view key) {
  return Run([&] { return inner().CreateMemory(caller, capsule, payload, key); });
}
absl::StatusOr<MemoryPayload> TransientFaults::GetMemory(absl::string_view caller, StoreId capsule,
                                                         StoreId memory) {
  return Run([&] { return inner().GetMemory(caller, capsule, memory); });
}
absl::Status TransientFaults::DeleteMemory(absl::string_view caller, StoreId capsule,
                                           StoreId memory) {
  return Run([&] { return inner().DeleteMemory(caller, capsule, memory); });
}
absl::StatusOr<std::vector<StoredMemory>> TransientFaults::ListMemories(absl::string_view caller,
                                                                        StoreId capsule) {
  return Run([&] { return inner().ListMemories(caller, capsule); });
}
absl::Status TransientFaults::CreateGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id, const GalleryPayload& payload) {
  return Run([&] { return inner().CreateGallery(caller, capsule, id, payload); });
}
absl::StatusOr<GalleryPayload> TransientFaults::GetGallery(absl::string_view caller,
                                                           StoreId capsule, absl::string_view id) {
  return Run([&] { return inner().GetGallery(caller, capsule, id); });
}
absl::Status TransientFaults::DeleteGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) {
  return Run([&] { return inner().DeleteGallery(caller, capsule, id); });
}
absl::StatusOr<std::vector<GalleryEntry>> TransientFaults::ListGalleries(absl::string_view caller,
                                                                         StoreId capsule) {
  return Run([&] { return inner().ListGalleries(caller, capsule); });
}
absl::Status TransientFaults::CreateFolder(absl::string_view caller, StoreId capsule,
                                           absl::string_view id, const FolderPayload& payload) {
  return Run([&] { return inner().CreateFolder(caller, capsule, id, payload); });
}
absl::StatusOr<FolderPayload> TransientFaults::GetFolder(absl::string_view caller, StoreId capsule,
                                                         absl::string_view id) {
  return Run([&] { return inner().GetFolder(caller, capsule, id); });
}
absl::Status TransientFaults::DeleteFolder(absl::string_view caller, StoreId capsule,
                                           absl::string_view id) {
  return Run([&] { return inner().DeleteFolder(caller, capsule, id); });
}
absl::StatusOr<std::vector<FolderEntry>> TransientFaults::ListFolders(absl::string_view caller,
                                                                      StoreId capsule) {
  return Run([&] { return inner().ListFolders(caller, capsule); });
}
absl::StatusOr<StoreId> TransientFaults::BeginUpload(absl::string_view caller, StoreId capsule,
                                                     uint32_t expected_chunks,
                                                     absl::string_view key) {
  return Run([&] { return inner().BeginUpload(caller, capsule, expected_chunks, key); });
}
absl::Status TransientFaults::PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                                       absl::string_view bytes) {
  return Run([&] { return inner().PutChunk(caller, session, index, bytes); });
}
absl::StatusOr<StoreId> TransientFaults::FinishUpload(absl::string_view caller, StoreId session,
                                                      uint64_t total_len, uint64_t digest) {
  return Run([&] { return inner().FinishUpload(caller, session, total_len, digest); });
}
absl::Status TransientFaults::AbortUpload(absl::string_view caller, StoreId session) {
  return Run([&] { return inner().AbortUpload(caller, session); });
}
absl::Status TransientFaults::AdvanceClock(uint64_t seconds) {
  return Run([&] { return inner().AdvanceClock(seconds); });
}
absl::Status TransientFaults::Upgrade() {
  return Run([&] { return inner().Upgrade(); });
}

}  // namespace idemcheck::fuzz
