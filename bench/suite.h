// The benchmark suite: which operations are measured, on which stores, at which sizes, and the
// floor each one is measured against.
//
// Rows are named "<operation>/<store>/<stored records>", e.g. "memory_replay/impl/1000000". Each
// repetition of a row is one paired measurement (paired.h) of the store and its floor, a bare
// absl::flat_hash_map find of the same keys: the row's time is the store's median ns per
// operation, and its counters are `floor_ns` and `ratio` (store / floor). Rows
// "memory_footprint/<store or floor>/<n>" carry heap counters instead (bytes_per_record,
// bytes_per_memory) and no meaningful time.
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
  // Timed store + floor time of one measurement (one repetition of one row).
  double measure_seconds = 0.1;
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
