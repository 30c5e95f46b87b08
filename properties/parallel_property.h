// The parallel property: every concurrent run of a thread-safe store is linearizable with respect
// to the reference model (docs/concurrency.md).
//
// Each case is a sequential prefix and two or three branches of up to five operations, drawn
// with the property generators (generators.h) and focused on contended creates: the branches
// share a few creates of the same keys in the same capsule, the classic double-insert race. A
// case runs on real threads many times, each run with its own schedule of yields and spins,
// and every run's history goes to the linearizability checker. A failing case is shrunk by
// removing operations while some run still fails.

#ifndef IDEMCHECK_PROPERTIES_PARALLEL_PROPERTY_H_
#define IDEMCHECK_PROPERTIES_PARALLEL_PROPERTY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "concurrency/linearizability.h"
#include "concurrency/parallel_run.h"
#include "idemcheck/registry.h"

namespace idemcheck::properties {

struct ParallelOptions {
  std::string impl;  // a registered store with thread_safe set
  uint64_t seed = 1;
  size_t cases = 60;
  size_t runs_per_case = 40;
  size_t max_branch_ops = 5;
  // Runs per candidate while shrinking: a removal is kept when one of them still fails.
  size_t shrink_runs = 200;
  Limits limits;
};

struct ParallelReport {
  bool passed = true;
  size_t cases = 0;  // cases run
  size_t runs = 0;   // runs checked
  size_t inconclusive = 0;
  uint64_t check_nanos = 0;                                 // time in the checker, over every run
  uint64_t nodes = 0;                                       // checker search nodes, over every run
  std::optional<concurrency::ParallelCase> counterexample;  // shrunk
  std::string text;  // the failure: the history as columns and why no order explains it
};

// Case `index` of the run seeded with `seed`: the same on every machine.
concurrency::ParallelCase GenerateParallelCase(uint64_t seed, size_t index, size_t max_branch_ops);

// InvalidArgument when the store is unknown or not thread-safe.
absl::StatusOr<ParallelReport> CheckParallel(const ParallelOptions& options);

}  // namespace idemcheck::properties

#endif  // IDEMCHECK_PROPERTIES_PARALLEL_PROPERTY_H_
