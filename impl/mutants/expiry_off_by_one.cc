// mutant/expiry-off-by-one: a record is still live at exactly created_at + retention.
//
// Bug class: the liveness test is written `now <= created_at + retention` instead of `<`. For
// one second at the end of every window a key that should be new again replays the old memory
// (M8: at and after that instant the key is new).

#include <memory>
#include <string>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class ExpiryOffByOne final : public ForwardingStore {
 public:
  explicit ExpiryOffByOne(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)), records_(options.limits.retention_seconds) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const Scope scope{capsule, std::string(caller), std::string(key)};
    const ShadowRecords::Record* r = records_.Latest(scope);
    if (!key.empty() && r != nullptr && clock_.now() == r->created_at + records_.retention() &&
        r->payload == payload) {
      // The bug: the boundary second still counts as live.
      if (absl::Status access = CheckAccess(inner(), caller, capsule); !access.ok()) return access;
      return r->memory;
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

IDEMCHECK_REGISTER_STORE(mutant_expiry_off_by_one,
                         {
                             .name = "mutant/expiry-off-by-one",
                             .kind = StoreKind::kMutant,
                             .description = "records live one second too long: <= instead of < "
                                            "at the retention boundary",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ExpiryOffByOne>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
