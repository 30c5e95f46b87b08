// The linearizability checker: does some sequential order of a concurrent run's calls, consistent
// with their real-time order, explain every outcome on the reference model?
//
// A run is a sequential prefix followed by calls from several threads, each call with the tick at
// which it was invoked and the tick at which it returned (one counter shared by all threads). A
// call that returned before another was invoked must come first; overlapping calls may go in
// either order. The checker searches those orders (Wing & Gong, with Lowe's memoization): it
// applies calls one at a time to a copy of the reference model and keeps a candidate only while
// each call's recorded outcome equals the model's under E1's renaming, built along the candidate
// order. Calls that touch disjoint parts of the store are checked as independent groups (locality
// of linearizability); docs/concurrency.md gives the argument.
//
// Store-chosen IDs: each thread ran its calls through its own `Driver`, forked from the prefix's
// renaming (driver.h), so a call's outcome names new IDs by that thread's ordinals. The thread's
// final `Renaming` turns them back into the store's own IDs, which the checker renames again along
// each candidate order.

#ifndef IDEMCHECK_CONCURRENCY_LINEARIZABILITY_H_
#define IDEMCHECK_CONCURRENCY_LINEARIZABILITY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"

namespace idemcheck::concurrency {

struct Call {
  size_t thread = 0;
  Op op;
  Outcome outcome;  // named by the thread's renaming
  uint64_t invoked = 0;
  uint64_t returned = 0;
};

struct ParallelHistory {
  std::vector<Op> prefix;
  std::vector<Outcome> prefix_outcomes;
  Renaming prefix_names;               // the store's IDs named by the prefix
  std::vector<Call> calls;             // at most kMaxCalls
  std::vector<Renaming> thread_names;  // each thread's renaming after its last call
};

inline constexpr size_t kMaxCalls = 32;

struct LinearizabilityOptions {
  Limits limits;
  // Search nodes (calls tried on the model) before giving up as inconclusive.
  uint64_t max_nodes = 2'000'000;
};

enum class Verdict : uint8_t { kLinearizable, kNotLinearizable, kInconclusive };

struct LinearizabilityResult {
  Verdict verdict = Verdict::kLinearizable;
  uint64_t nodes = 0;       // calls tried on the model, over every group
  size_t groups = 0;        // independent groups searched
  std::string explanation;  // why no order explains the run; empty when linearizable

  bool ok() const { return verdict != Verdict::kNotLinearizable; }
};

LinearizabilityResult CheckLinearizable(const ParallelHistory& history,
                                        const LinearizabilityOptions& options = {});

// The run as columns, one per thread, calls in invocation order with their tick ranges. IDs that
// the threads saw first are named by the order in which their calls returned, so one name means
// one store ID in every column.
std::string FormatParallelHistory(const ParallelHistory& history);

}  // namespace idemcheck::concurrency

#endif  // IDEMCHECK_CONCURRENCY_LINEARIZABILITY_H_
