// mutant/race-check-then-insert: the concurrent store with a memory create whose idempotency
// lookup and insert happen in separate critical sections. Every sequential run is correct; two
// overlapping creates with one key can both miss the record and both insert, so one retry makes
// two memories. Only the parallel property can catch it.

#include <memory>

#include "concurrency/concurrent_store.h"
#include "idemcheck/registry.h"

namespace idemcheck {
namespace {

IDEMCHECK_REGISTER_STORE(race_check_then_insert,
                         {
                             .name = "mutant/race-check-then-insert",
                             .kind = StoreKind::kMutant,
                             .description = "memory key lookup and insert in two critical sections",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<ConcurrentStore>(
                                   options,
                                   ConcurrentStoreTuning{.split_memory_check_and_insert = true});
                             },
                             .thread_safe = true,
                             .concurrent_only = true,
                         });

}  // namespace
}  // namespace idemcheck
