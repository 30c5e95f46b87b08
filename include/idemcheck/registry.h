// The store registry: every implementation registers itself by name, so that tests, properties,
// fuzzers and the CLI select one with a string ("reference", "impl", "mutant/<name>", or a user's
// own) and nothing lists implementations by hand.
//
// A store registers itself from its own .cc file:
//
//   IDEMCHECK_REGISTER_STORE(my_store, {
//       .name = "mine",
//       .kind = idemcheck::StoreKind::kExternal,
//       .description = "our production store",
//       .factory = [](const idemcheck::StoreOptions& options) {
//         return std::make_unique<MyStore>(options);
//       },
//   });

#ifndef IDEMCHECK_REGISTRY_H_
#define IDEMCHECK_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/store.h"
#include "idemcheck/values.h"

namespace idemcheck {

// Hash used by a store to find idempotency records. Tests substitute a deliberately weak one
// (e.g. 4 bits) to force collisions (M9); a correct store stays correct under any hash.
using LookupHash = uint64_t (*)(absl::string_view bytes);

struct StoreOptions {
  Limits limits;
  // nullptr: the store's own choice.
  LookupHash lookup_hash = nullptr;
};

enum class StoreKind : uint8_t {
  kReference,       // the contract in code
  kImplementation,  // a store meant to be correct
  kMutant,          // a store with a deliberate, known bug: the harness must catch it
  kExternal,        // a user's store compiled in with IDEMCHECK_EXTRA_IMPL
};
absl::string_view StoreKindName(StoreKind kind);

struct StoreInfo {
  std::string name;
  StoreKind kind = StoreKind::kImplementation;
  std::string description;
  std::function<std::unique_ptr<Store>(const StoreOptions&)> factory;
  // Safe to call from many threads at once (issue of concurrent clients).
  bool thread_safe = false;
  // A mutant whose bug shows only when calls overlap: correct on every sequential run, so only
  // the parallel property (docs/concurrency.md) can catch it and sequential checks skip it.
  bool concurrent_only = false;
};

class Registry {
 public:
  static Registry& Global();

  // Returns false (and keeps the first) when the name is taken.
  bool Add(StoreInfo info);

  // nullptr when no store has that name.
  const StoreInfo* Find(absl::string_view name) const;

  // Every registered store, sorted by name.
  std::vector<const StoreInfo*> All() const;

  // NotFound, naming the stores that exist, when `name` is unknown.
  absl::StatusOr<std::unique_ptr<Store>> Create(absl::string_view name,
                                                const StoreOptions& options = {}) const;

 private:
  std::vector<std::unique_ptr<StoreInfo>> stores_;
};

namespace internal {
struct StoreRegistrar {
  explicit StoreRegistrar(StoreInfo info);
};
}  // namespace internal

}  // namespace idemcheck

#define IDEMCHECK_REGISTER_STORE(ident, ...) \
  static const ::idemcheck::internal::StoreRegistrar idemcheck_registrar_##ident(__VA_ARGS__)

#endif  // IDEMCHECK_REGISTRY_H_
