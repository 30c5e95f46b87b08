// mutant/key-hash-id: the memory ID is a hash of the key alone, not of capsule or caller.
//
// Bug class (b): the original system's second version derived the ID from a 64-bit hash of the
// key. The same key used in two capsules, or by two callers, named the same memory: the second
// create silently returned the first one's ID.

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "idemcheck/forwarding_store.h"
#include "impl/mutants/mutant.h"

namespace idemcheck::mutants {
namespace {

class KeyHashId final : public ForwardingStore {
 public:
  explicit KeyHashId(const StoreOptions& options) : ForwardingStore(NewImpl(options)) {}

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override {
    const Scope scope{capsule, std::string(caller), std::string(key)};
    if (auto it = by_key_.find(key); it != by_key_.end() && !(it->second.scope == scope)) {
      // The bug: another scope's memory "has" this key's ID.
      if (absl::Status access = CheckAccess(inner(), caller, capsule); !access.ok()) return access;
      return it->second.memory;
    }
    absl::StatusOr<StoreId> id = inner().CreateMemory(caller, capsule, payload, key);
    if (id.ok() && !key.empty()) by_key_.try_emplace(key, Owner{scope, *id});
    return id;
  }

 private:
  struct Owner {
    Scope scope;
    StoreId memory;
  };
  absl::flat_hash_map<std::string, Owner> by_key_;
};

IDEMCHECK_REGISTER_STORE(mutant_key_hash_id,
                         {
                             .name = "mutant/key-hash-id",
                             .kind = StoreKind::kMutant,
                             .description = "(b) ID from a hash of the key alone: scopes collide",
                             .factory = [](const StoreOptions& options) -> std::unique_ptr<Store> {
                               return std::make_unique<KeyHashId>(options);
                             },
                         });

}  // namespace
}  // namespace idemcheck::mutants
