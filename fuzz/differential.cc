#include "fuzz/differential.h"

#include <memory>
#include <utility>

#include "fuzz/transient_faults.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck::fuzz {

absl::StatusOr<RunResult> RunInput(const FuzzInput& input, absl::string_view impl,
                                   const RunOptions& options) {
  const StoreOptions store_options = input.setup.Options();
  absl::StatusOr<std::unique_ptr<Store>> expected =
      Registry::Global().Create("reference", store_options);
  if (!expected.ok()) return expected.status();
  absl::StatusOr<std::unique_ptr<Store>> actual = Registry::Global().Create(impl, store_options);
  if (!actual.ok()) return actual.status();
  TransientFaults faulty(*std::move(actual), input.faults);
  return RunDifferential(input.ops, **expected, faulty, options);
}

}  // namespace idemcheck::fuzz
