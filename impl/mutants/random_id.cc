// mutant/random-id: a fresh random ID on every create, the key ignored.
//
// Bug class (a): the original system's first version. Every retry of a create inserts another
// memory, so a flaky network turns one photo into several.

#include <memory>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class RandomId final : public ForwardingStore {
 public:
  explicit RandomId(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    if (!IsValidIdemKey(key)) return inner().CreateMemory(caller, capsule, payload, key);
    return inner().CreateMemory(caller, capsule, payload, "");  // the bug: the key is dropped
  }
};

IDEMCHECK_REGISTER_STORE(mutant_random_id,
                         {
                             .name = "mutant/random-id",
                             .kind = StoreKind::kMutant,
                             .description = "(a) a fresh ID on every create: the key is ignored",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<RandomId>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
