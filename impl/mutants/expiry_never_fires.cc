// mutant/expiry-never-fires: windows are kept in milliseconds, the clock in seconds.
//
// Bug class (j): a unit mismatch makes every window a thousand times longer: idempotency
// records, session TTLs and tombstones outlive their contract, keys are never new again and
// abandoned sessions pile up (M8, U6, F4).

#include <memory>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class ExpiryNeverFires final : public ForwardingStore {
 public:
  explicit ExpiryNeverFires(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)), max_advance_(options.limits.max_clock_advance_seconds) {}

  absl::Status AdvanceClock(uint64_t seconds) override {
    if (seconds > max_advance_) return inner().AdvanceClock(seconds);  // T1 still holds
    // The bug: seconds counted as milliseconds.
    elapsed_ += seconds;
    const uint64_t target = elapsed_ / 1000;
    absl::Status status = inner().AdvanceClock(target - forwarded_);
    if (status.ok()) forwarded_ = target;
    return status;
  }

 private:
  uint64_t max_advance_;
  uint64_t elapsed_ = 0;    // seconds the clients asked for
  uint64_t forwarded_ = 0;  // seconds the wrapped store was told
};

IDEMCHECK_REGISTER_STORE(mutant_expiry_never_fires,
                         {
                             .name = "mutant/expiry-never-fires",
                             .kind = StoreKind::kMutant,
                             .description = "(j) seconds read as milliseconds: records, "
                                            "sessions and tombstones never expire",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ExpiryNeverFires>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
