// mutant/hash32-identity: a 32-bit hash of the key stands for the key.
//
// Bug class (k): records are found by a short hash and never compared with the full key, so two
// keys that collide are the same key: the second create is answered as a replay of the first
// (or a Conflict). At 32 bits this is rare enough to pass every example test and common enough
// to hit in production; a store built with a lookup hash uses that one instead, so the weak
// hash of P11 makes collisions routine (M9).

#include <memory>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

uint64_t Fnv1a32Fold(absl::string_view bytes) {
  const uint64_t h = Fnv1a64(bytes);
  return (h >> 32) ^ (h & 0xFFFFFFFFu);
}

class Hash32Identity final : public ForwardingStore {
 public:
  explicit Hash32Identity(const StoreOptions& options)
      : ForwardingStore(NewImpl(options)),
        hash_(options.lookup_hash != nullptr ? options.lookup_hash : &Fnv1a32Fold) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    if (key.empty() || !IsValidIdemKey(key)) {
      return inner().CreateMemory(caller, capsule, payload, key);
    }
    // The bug: the first key seen with this hash answers for every key with the same hash.
    const auto it =
        first_key_.try_emplace(std::make_tuple(capsule, std::string(caller), hash_(key)), key)
            .first;
    return inner().CreateMemory(caller, capsule, payload, it->second);
  }

 private:
  LookupHash hash_;
  absl::flat_hash_map<std::tuple<StoreId, std::string, uint64_t>, std::string> first_key_;
};

IDEMCHECK_REGISTER_STORE(mutant_hash32_identity,
                         {
                             .name = "mutant/hash32-identity",
                             .kind = StoreKind::kMutant,
                             .description = "(k) a 32-bit key hash (or the store's lookup hash) "
                                            "is the key's identity: a collision is a replay",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<Hash32Identity>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
