// Paired measurement: the cost of a store's operation and of its floor, measured in alternating
// slices of the same number of operations (about 100 microseconds of the store's time each), so
// that both see the same machine. Whatever else runs on it, thrashes the caches or preempts the
// thread hits the store and the floor alike, and a slice it disturbs badly is one of hundreds
// whose median is reported. This is what makes store/floor a figure that two runs on a busy
// machine agree on.
//
// A step is a callable `bool()` that performs the next operation and checks its answer; on a
// wrong answer it reports the error itself (benchmark::State::SkipWithError) and returns false.

#ifndef IDEMCHECK_BENCH_PAIRED_H_
#define IDEMCHECK_BENCH_PAIRED_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace idemcheck::bench {

// What a preparation before a slice did.
enum class Prepared {
  kReady,
  kRebuilt,  // the world was rebuilt and caches are cold: the next round only warms up
  kFailed,   // reported already
};

struct PairedOptions {
  double seconds = 0.1;  // timed store + floor time of one measurement
  bool smoke = false;    // one round of a single operation each: checks, never measures
  size_t max_slice = 4096;
};

struct PairedResult {
  double store_ns = 0;  // median over rounds of the store's ns per operation
  double floor_ns = 0;  // the same for the floor
  double ratio = 0;     // median over rounds of store time / floor time
  size_t rounds = 0;
  size_t slice = 0;  // operations per slice
};

namespace internal {

inline constexpr double kSliceNs = 100'000;
inline constexpr size_t kMinRounds = 5;

// Wall nanoseconds of `ops` steps, or a negative value when a step failed.
template <typename Step>
double SliceNs(Step& step, size_t ops) {
  const auto start = std::chrono::steady_clock::now();
  for (size_t k = 0; k < ops; ++k) {
    if (!step()) return -1;
  }
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
}

inline double Median(std::vector<double> values) {
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid] + *std::max_element(values.begin(), values.begin() + mid)) / 2;
}

}  // namespace internal

// Measures `store` against `floor`. `prepare(k)` runs untimed before every round of k store
// steps (e.g. to rebuild a world that ran out of new keys) and says what it did. Returns nullopt
// when a step or `prepare` failed.
template <typename StoreStep, typename FloorStep, typename Prepare>
std::optional<PairedResult> MeasurePaired(StoreStep& store, FloorStep& floor, Prepare& prepare,
                                          const PairedOptions& options) {
  using internal::SliceNs;
  size_t slice = 1;
  if (!options.smoke) {
    // Calibrate the slice on a few store steps: slow stores get short slices.
    const size_t probe = std::min<size_t>(8, options.max_slice);
    if (prepare(probe) == Prepared::kFailed) return std::nullopt;
    const double probe_ns = SliceNs(store, probe);
    if (probe_ns < 0) return std::nullopt;
    const double per_op = std::max(probe_ns / probe, 1.0);
    slice =
        std::clamp<size_t>(static_cast<size_t>(internal::kSliceNs / per_op), 1, options.max_slice);
  }
  std::vector<double> store_ns, floor_ns, ratios;
  double spent_ns = 0;
  for (size_t round = 0;; ++round) {
    const Prepared prepared = prepare(slice);
    if (prepared == Prepared::kFailed) return std::nullopt;
    // Alternate which goes first, so that neither always inherits the other's cache state.
    double s = 0, f = 0;
    if (round % 2 == 0) {
      if ((f = SliceNs(floor, slice)) < 0 || (s = SliceNs(store, slice)) < 0) return std::nullopt;
    } else {
      if ((s = SliceNs(store, slice)) < 0 || (f = SliceNs(floor, slice)) < 0) return std::nullopt;
    }
    if (prepared == Prepared::kRebuilt && !options.smoke) continue;
    f = std::max(f, 1.0);
    store_ns.push_back(s / slice);
    floor_ns.push_back(f / slice);
    ratios.push_back(s / f);
    spent_ns += s + f;
    if (options.smoke ||
        (ratios.size() >= internal::kMinRounds && spent_ns >= options.seconds * 1e9)) {
      break;
    }
  }
  return PairedResult{.store_ns = internal::Median(store_ns),
                      .floor_ns = internal::Median(floor_ns),
                      .ratio = internal::Median(ratios),
                      .rounds = ratios.size(),
                      .slice = slice};
}

}  // namespace idemcheck::bench

#endif  // IDEMCHECK_BENCH_PAIRED_H_
