#include "impl/mutants/mutant.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

namespace idemcheck::mutants {

std::unique_ptr<Store> NewImpl(const StoreOptions& options) {
  absl::StatusOr<std::unique_ptr<Store>> impl = Registry::Global().Create("impl", options);
  if (!impl.ok()) {
    // impl/ builds the implementation and its mutants together: this is a build mistake.
    std::fprintf(stderr, "idemcheck: mutants need the 'impl' store: %s\n",
                 impl.status().ToString().c_str());
    std::abort();
  }
  return *std::move(impl);
}

std::string DerivedKey(absl::string_view key, uint64_t generation) {
  if (generation == 0) return std::string(key);
  // '#' is a valid key byte that no pooled key uses; 230 + 1 + 20 digits stay within 255.
  return absl::StrCat(key.substr(0, 230), "#", generation);
}

absl::Status CheckAccess(Store& store, absl::string_view caller, StoreId capsule) {
  return store.ListMemories(caller, capsule).status();
}

}  // namespace idemcheck::mutants
