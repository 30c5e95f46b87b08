// The benchmark suite: which operations are measured, on which stores, at which sizes, and the
// floor each one is divided by.
//
// Names are "<operation>/<subject>/<stored records>", where the subject is a registered store or
// "floor": e.g. "memory_replay/impl/1000000", "memory_replay/floor/1000000". Every operation has
// a floor row of the same name, measured in the same run just before the stores, so a ratio
// never mixes two runs. "memory_footprint/<subject>/<n>" rows carry heap counters instead of a
// time.
//
// Every timed call checks the store's answer (the recorded ID, Conflict, NotFound...): a
// benchmark that measures a wrong path fails instead of reporting a figure.

#ifndef IDEMCHECK_BENCH_SUITE_H_
#define IDEMCHECK_BENCH_SUITE_H_

#include <cstddef>
#include <string>
#include <vector>

namespace idemcheck::bench {

struct SuiteOptions {
  std::vector<std::string> stores;  // registered store names
  std::vector<size_t> sizes;        // stored records
  // Stores of kind "reference" scan linearly by design: they skip sizes above this.
  size_t reference_max_size = 100'000;
  // Every benchmark runs exactly one iteration, once: it checks that they run, not how fast.
  bool smoke = false;
};

// Registers every benchmark with Google Benchmark, in an order that reuses each built world.
void RegisterSuite(const SuiteOptions& options);

// How many benchmarks reported an error (a store answered what the contract forbids, or a world
// could not be built).
int SuiteFailures();

}  // namespace idemcheck::bench

#endif  // IDEMCHECK_BENCH_SUITE_H_
