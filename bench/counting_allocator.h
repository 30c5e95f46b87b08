// Heap accounting for the benchmark binary: it replaces the global operator new and delete, so
// that a benchmark can say how many bytes a store keeps for what it was asked to remember.
//
// Counting is off by default and costs one relaxed load per allocation then. While a
// `HeapGrowth` is alive, every allocation adds, and every release subtracts, its footprint in
// glibc malloc: the usable size plus the 8-byte chunk header, so slack in containers and the
// allocator's rounding are included ("all overhead"). Net growth inside the window is exact even
// when memory allocated before the window is released inside it.
//
// Not reentrant: one window at a time. Only meaningful in a single-threaded benchmark.

#ifndef IDEMCHECK_BENCH_COUNTING_ALLOCATOR_H_
#define IDEMCHECK_BENCH_COUNTING_ALLOCATOR_H_

#include <cstdint>

namespace idemcheck::bench {

class HeapGrowth {
 public:
  HeapGrowth();
  ~HeapGrowth();
  HeapGrowth(const HeapGrowth&) = delete;
  HeapGrowth& operator=(const HeapGrowth&) = delete;

  // Bytes allocated minus bytes released since construction.
  int64_t bytes() const;

 private:
  int64_t start_;
};

}  // namespace idemcheck::bench

#endif  // IDEMCHECK_BENCH_COUNTING_ALLOCATOR_H_
