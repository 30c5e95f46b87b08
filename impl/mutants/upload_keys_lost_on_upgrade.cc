// mutant/upload-keys-lost-on-upgrade: the upload key index is not part of the snapshot.
//
// Bug class (i): an upgrade rebuilt sessions from storage but not the key -> session index, so a
// client retrying BeginUpload across a deploy started a second session and uploaded everything
// again (T2: nothing observable changes, including upload records).

#include <memory>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class UploadKeysLostOnUpgrade final : public ForwardingStore {
 public:
  explicit UploadKeysLostOnUpgrade(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                      uint32_t expected_chunks, absl::string_view key) override {
    if (key.empty() || !IsValidIdemKey(key)) {
      return inner().BeginUpload(caller, capsule, expected_chunks, key);
    }
    return inner().BeginUpload(caller, capsule, expected_chunks, DerivedKey(key, upgrades_));
  }

  absl::Status Upgrade() override {
    absl::Status status = inner().Upgrade();
    if (status.ok()) ++upgrades_;  // the bug: every key recorded so far is forgotten
    return status;
  }

 private:
  uint64_t upgrades_ = 0;
};

IDEMCHECK_REGISTER_STORE(mutant_upload_keys_lost_on_upgrade,
                         {
                             .name = "mutant/upload-keys-lost-on-upgrade",
                             .kind = StoreKind::kMutant,
                             .description = "(i) Upgrade forgets upload keys: a retried "
                                            "BeginUpload starts a new session",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<UploadKeysLostOnUpgrade>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
