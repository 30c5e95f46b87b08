// mutant/empty-key-dedup: the empty key is treated as a key like any other.
//
// Bug class (c): with IDs derived from a hash of the key, every create without a key hashed the
// empty string, so all of a caller's key-less memories collapsed into one.

#include <memory>

#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

// A valid key no client of the pools sends, standing for "no key".
constexpr char kNoKey[] = "~no-key~";

class EmptyKeyDedup final : public ForwardingStore {
 public:
  explicit EmptyKeyDedup(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    return inner().CreateMemory(caller, capsule, payload, key.empty() ? kNoKey : key);
  }
};

IDEMCHECK_REGISTER_STORE(mutant_empty_key_dedup,
                         {
                             .name = "mutant/empty-key-dedup",
                             .kind = StoreKind::kMutant,
                             .description = "(c) the empty key deduplicates like a real key",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<EmptyKeyDedup>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
