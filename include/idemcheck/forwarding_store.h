// A store that forwards every operation to another store: the base for decorators such as the
// mutant gallery, which override just the operations whose behaviour they change.

#ifndef IDEMCHECK_FORWARDING_STORE_H_
#define IDEMCHECK_FORWARDING_STORE_H_

#include <memory>
#include <utility>

#include "idemcheck/store.h"

namespace idemcheck {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  absl::StatusOr<StoreId> CreateCapsule(absl::string_view caller,
                                        absl::string_view subject) override {
    return inner_->CreateCapsule(caller, subject);
  }
  absl::Status Grant(absl::string_view caller, StoreId capsule, absl::string_view principal,
                     Role role) override {
    return inner_->Grant(caller, capsule, principal, role);
  }
  absl::Status Revoke(absl::string_view caller, StoreId capsule, absl::string_view principal,
                      Role role) override {
    return inner_->Revoke(caller, capsule, principal, role);
  }
  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    return inner_->CreateMemory(caller, capsule, payload, key);
  }
  absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) override {
    return inner_->GetMemory(caller, capsule, memory);
  }
  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override {
    return inner_->DeleteMemory(caller, capsule, memory);
  }
  absl::StatusOr<std::vector<StoredMemory>> ListMemories(absl::string_view caller,
                                                         StoreId capsule) override {
    return inner_->ListMemories(caller, capsule);
  }
  absl::Status CreateGallery(absl::string_view caller, StoreId capsule, absl::string_view id,
                             const GalleryPayload& payload) override {
    return inner_->CreateGallery(caller, capsule, id, payload);
  }
  absl::StatusOr<GalleryPayload> GetGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) override {
    return inner_->GetGallery(caller, capsule, id);
  }
  absl::Status DeleteGallery(absl::string_view caller, StoreId capsule,
                             absl::string_view id) override {
    return inner_->DeleteGallery(caller, capsule, id);
  }
  absl::StatusOr<std::vector<GalleryEntry>> ListGalleries(absl::string_view caller,
                                                          StoreId capsule) override {
    return inner_->ListGalleries(caller, capsule);
  }
  absl::Status CreateFolder(absl::string_view caller, StoreId capsule, absl::string_view id,
                            const FolderPayload& payload) override {
    return inner_->CreateFolder(caller, capsule, id, payload);
  }
  absl::StatusOr<FolderPayload> GetFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id) override {
    return inner_->GetFolder(caller, capsule, id);
  }
  absl::Status DeleteFolder(absl::string_view caller, StoreId capsule,
                            absl::string_view id) override {
    return inner_->DeleteFolder(caller, capsule, id);
  }
  absl::StatusOr<std::vector<FolderEntry>> ListFolders(absl::string_view caller,
                                                       StoreId capsule) override {
    return inner_->ListFolders(caller, capsule);
  }
  absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                      uint32_t expected_chunks, absl::string_view key) override {
    return inner_->BeginUpload(caller, capsule, expected_chunks, key);
  }
  absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                        absl::string_view bytes) override {
    return inner_->PutChunk(caller, session, index, bytes);
  }
  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override {
    return inner_->FinishUpload(caller, session, total_len, digest);
  }
  absl::Status AbortUpload(absl::string_view caller, StoreId session) override {
    return inner_->AbortUpload(caller, session);
  }
  absl::Status AdvanceClock(uint64_t seconds) override { return inner_->AdvanceClock(seconds); }
  absl::Status Upgrade() override { return inner_->Upgrade(); }
  std::vector<CapsuleView> Observe() const override { return inner_->Observe(); }

 protected:
  Store& inner() { return *inner_; }
  const Store& inner() const { return *inner_; }

 private:
  std::unique_ptr<Store> inner_;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_FORWARDING_STORE_H_
