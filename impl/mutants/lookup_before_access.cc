// mutant/lookup-before-access: the idempotency lookup runs before the access check.
//
// Bug class (g): a replay short-circuits straight to the recorded answer. A caller whose access
// was revoked still gets Ok for an old key, and anyone can probe which keys exist through the
// difference between Ok, Conflict and Unauthorized (G3: the same error whatever is stored).

#include <memory>
#include <string>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class LookupBeforeAccess final : public ForwardingStore {
 public:
  explicit LookupBeforeAccess(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)), records_(options.limits.retention_seconds) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const Scope scope{capsule, std::string(caller), std::string(key)};
    if (const ShadowRecords::Record* r = records_.Live(scope, clock_.now())) {
      // The bug: answered from the record, before G3.
      if (r->payload == payload) return r->memory;
      return absl::AbortedError("key reused with a different payload");
    }
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (id.ok() && !key.empty()) records_.Created(scope, *id, payload, clock_.now());
    return id;
  }

  absl::Status AdvanceClock(uint64_t seconds) override {
    absl::Status status = inner().AdvanceClock(seconds);
    clock_.Advanced(status, seconds);
    return status;
  }

 private:
  ShadowClock clock_;
  ShadowRecords records_;
};

IDEMCHECK_REGISTER_STORE(mutant_lookup_before_access,
                         {
                             .name = "mutant/lookup-before-access",
                             .kind = StoreKind::kMutant,
                             .description = "(g) the key's record answers before the access "
                                            "check",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<LookupBeforeAccess>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
