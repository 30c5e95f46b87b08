// mutant/caller-shared-key: idempotency keys are scoped per capsule only, shared by callers.
//
// Bug class (f): the record is looked up by (capsule, key). Two people writing to a shared
// capsule who happen to use the same key (clients often use short counters) get each other's
// memory back, or a Conflict for their own new content (M6).

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class CallerSharedKey final : public ForwardingStore {
 public:
  explicit CallerSharedKey(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    if (key.empty()) return inner().CreateMemory(caller, capsule, payload, key);
    auto it = first_caller_.find(std::make_pair(capsule, std::string(key)));
    if (it != first_caller_.end() && it->second != caller) {
      if (absl::Status access = CheckAccess(inner(), caller, capsule); !access.ok()) return access;
      // The bug: the first caller's record answers for everyone.
      return inner().CreateMemory(it->second, capsule, payload, key);
    }
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (id.ok()) first_caller_.try_emplace(std::make_pair(capsule, std::string(key)), caller);
    return id;
  }

 private:
  absl::flat_hash_map<std::pair<StoreId, std::string>, std::string> first_caller_;
};

IDEMCHECK_REGISTER_STORE(mutant_caller_shared_key,
                         {
                             .name = "mutant/caller-shared-key",
                             .kind = StoreKind::kMutant,
                             .description = "(f) keys scoped per capsule only: callers share "
                                            "each other's records",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<CallerSharedKey>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
