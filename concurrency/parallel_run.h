// Running a parallel case on real threads and recording what happened, for the linearizability
// checker (linearizability.h).
//
// A case is a sequential prefix and a few branches. The prefix runs alone; then one thread per
// branch runs its operations against the same store, all released at once, each operation
// stamped with the ticks of one shared counter at its invocation and at its return. Random
// yields and spins between operations, drawn from a schedule seed, vary the interleaving from
// run to run.

#ifndef IDEMCHECK_CONCURRENCY_PARALLEL_RUN_H_
#define IDEMCHECK_CONCURRENCY_PARALLEL_RUN_H_

#include <cstdint>
#include <vector>

#include "concurrency/linearizability.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/store.h"

namespace idemcheck::concurrency {

struct ParallelCase {
  std::vector<Op> prefix;
  std::vector<std::vector<Op>> branches;
};

// `op` with every ref that `names` has not seen replaced by 0, which names no ID. A branch may
// only name IDs of the prefix: which ID a branch's own n-th new ID is depends on the interleaving.
Op ForgetUnseenRefs(Op op, const Renaming& names);

// Runs `parallel` on `store`, which must be thread-safe, and records the history. Branch
// operations are recorded after ForgetUnseenRefs against the prefix's renaming.
ParallelHistory RunParallel(Store& store, const ParallelCase& parallel, uint64_t schedule_seed);

}  // namespace idemcheck::concurrency

#endif  // IDEMCHECK_CONCURRENCY_PARALLEL_RUN_H_
