// mutant/record-before-commit: the idempotency record is written before the memory, and a
// failure in between leaves it behind.
//
// Bug class: the create reserves an ID and stores the key's record first, then inserts the
// memory. When the insert fails (out of memory, a crashed write), the record stays: every retry
// of that key returns the reserved ID of a memory that was never stored (G5: a call that fails
// changes nothing). Only visible with fault injection (P12).

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

// Reserved IDs count down from here, far from any the wrapped store hands out.
constexpr StoreId kFirstReserved = StoreId{1} << 62;

class RecordBeforeCommit final : public ForwardingStore, public FaultInjectable {
 public:
  explicit RecordBeforeCommit(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)), faults_(dynamic_cast<FaultInjectable*>(&inner())) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const Scope scope{capsule, std::string(caller), std::string(key)};
    if (auto it = orphans_.find(scope); it != orphans_.end()) {
      if (it->second.payload == payload) return it->second.memory;
      return absl::AbortedError("key reused with a different payload");
    }
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (!key.empty() && id.status().code() == absl::StatusCode::kUnavailable) {
      orphans_.emplace(scope, Orphan{next_reserved_--, payload});  // the bug
    }
    return id;
  }

  void ArmFault(uint64_t step) override {
    if (faults_ != nullptr) faults_->ArmFault(step);
  }
  bool FaultFired() const override { return faults_ != nullptr && faults_->FaultFired(); }

 private:
  struct Orphan {
    StoreId memory;
    MemoryPayload payload;
  };
  FaultInjectable* faults_;  // the wrapped store's, if it has the capability
  StoreId next_reserved_ = kFirstReserved;
  absl::flat_hash_map<Scope, Orphan> orphans_;
};

IDEMCHECK_REGISTER_STORE(mutant_record_before_commit,
                         {
                             .name = "mutant/record-before-commit",
                             .kind = StoreKind::kMutant,
                             .description = "a create that fails after writing its record "
                                            "leaves the record: retries get a phantom ID",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<RecordBeforeCommit>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
