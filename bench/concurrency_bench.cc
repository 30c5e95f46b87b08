// Scaling of impl/concurrent (docs/concurrency.md): creates and replay hits with 1 and 2 threads,
// each thread on its own capsule (different shards) or all on one hot capsule.
//
//   build/<dir>/bench/idemcheck_concurrency_bench --benchmark_min_time=0.5
//
// items_per_second is the total over all threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck::bench {
namespace {

constexpr int kMaxThreads = 2;
const MemoryPayload kPhoto{"beach", "jpeg bytes"};

// The store under test and one capsule per thread, made before the threads start.
struct World {
  std::unique_ptr<Store> store;
  std::vector<StoreId> capsules;
};
World* world = nullptr;

void SetUp(const benchmark::State&) {
  world = new World{*Registry::Global().Create("impl/concurrent"), {}};
  for (int t = 0; t < kMaxThreads; ++t) {
    world->capsules.push_back(*world->store->CreateCapsule("alice", absl::StrCat("s", t)));
  }
}

void TearDown(const benchmark::State&) {
  delete world;
  world = nullptr;
}

// Arg 0: every thread on its own capsule; 1: every thread on the first capsule.
StoreId CapsuleFor(const benchmark::State& state) {
  return world->capsules[state.range(0) == 1 ? 0 : state.thread_index()];
}

void BM_CreateNewKey(benchmark::State& state) {
  const StoreId capsule = CapsuleFor(state);
  const std::string prefix = absl::StrCat("t", state.thread_index(), "-");
  uint64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        world->store->CreateMemory("alice", capsule, kPhoto, absl::StrCat(prefix, i++)));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ReplayHit(benchmark::State& state) {
  const StoreId capsule = CapsuleFor(state);
  const std::string key = absl::StrCat("replayed-", state.thread_index());
  (void)world->store->CreateMemory("alice", capsule, kPhoto, key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(world->store->CreateMemory("alice", capsule, kPhoto, key));
  }
  state.SetItemsProcessed(state.iterations());
}

void Configure(benchmark::internal::Benchmark* b) {
  b->ArgName("hot")
      ->Arg(0)
      ->Arg(1)
      ->Threads(1)
      ->Threads(2)
      ->Setup(SetUp)
      ->Teardown(TearDown)
      ->UseRealTime();
}

BENCHMARK(BM_CreateNewKey)->Apply(Configure);
BENCHMARK(BM_ReplayHit)->Apply(Configure);

}  // namespace
}  // namespace idemcheck::bench

BENCHMARK_MAIN();
