// `idemcheck check-parallel --impl NAME`: the parallel property (properties/parallel_property.h)
// against one thread-safe store. `check --parallel` hands over here with its parsed flags.

#ifndef IDEMCHECK_TOOLS_CHECK_PARALLEL_H_
#define IDEMCHECK_TOOLS_CHECK_PARALLEL_H_

#include <ostream>

#include "idemcheck/registry.h"
#include "tools/flags.h"

namespace idemcheck::cli {

// Honours --cases, --seed and --max-ops (operations per branch, at most 5 by default); exit
// codes as for every subcommand.
int CheckParallelCommand(const StoreInfo& store, const Flags& flags, std::ostream& out,
                         std::ostream& err);

}  // namespace idemcheck::cli

#endif  // IDEMCHECK_TOOLS_CHECK_PARALLEL_H_
