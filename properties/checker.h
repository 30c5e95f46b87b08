// Runs properties on one store outside any test framework: deterministic cases from a seed, and
// on failure RapidCheck's shrinking to a short counterexample. `idemcheck check` and the mutant
// test use it; the RapidCheck tests use RapidCheck's own runner on the same checks.
//
// Case k of a run with seed S is generated from seed S + k alone (its profile and sequence
// length too), so `--seed S+k --cases 1` with the same --max-ops reproduces exactly that case.

#ifndef IDEMCHECK_PROPERTIES_CHECKER_H_
#define IDEMCHECK_PROPERTIES_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "idemcheck/ops.h"
#include "properties/properties.h"

namespace idemcheck::properties {

struct CheckConfig {
  uint64_t seed = 1;
  size_t cases = 200;   // per property
  size_t max_ops = 60;  // per case
  // Upper bound on candidate sequences tried while shrinking one counterexample.
  size_t max_shrink_tries = 20'000;
  // When set, told the cases run so far about every `progress_every` while a property runs.
  std::function<void(const Property&, size_t cases_run)> on_progress;
  absl::Duration progress_every = absl::Seconds(5);
};

struct Counterexample {
  uint64_t case_seed = 0;   // reproduces the unshrunk case: --seed case_seed --cases 1
  size_t original_ops = 0;  // length of the failing case as generated
  std::vector<Op> ops;      // the shrunk sequence
  size_t shrink_steps = 0;  // accepted shrinks
  absl::Duration shrink_time;
  std::string report;  // the property's report on the shrunk sequence
};

struct PropertyResult {
  const Property* property = nullptr;
  bool applicable = true;
  size_t cases_run = 0;    // including the failing one
  absl::Duration elapsed;  // generating and checking the cases, not shrinking
  std::optional<Counterexample> counterexample;

  bool passed() const { return !counterexample.has_value(); }
};

// Checks `property` on `subject` for up to config.cases cases, stopping at the first failure
// and shrinking it. InvalidArgument if one of the property's profiles is unknown.
absl::StatusOr<PropertyResult> CheckProperty(const Property& property, const Subject& subject,
                                             const CheckConfig& config);

// Checks each of `properties` in turn and stops after the first one that fails. `progress`,
// when set, is told about each property as it finishes.
absl::StatusOr<std::vector<PropertyResult>> CheckAll(
    const std::vector<const Property*>& properties, const Subject& subject,
    const CheckConfig& config,
    const std::function<void(const PropertyResult&)>& progress = nullptr);

}  // namespace idemcheck::properties

#endif  // IDEMCHECK_PROPERTIES_CHECKER_H_
