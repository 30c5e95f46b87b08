#include "concurrency/parallel_run.h"

#include <atomic>
#include <cstdint>
#include <random>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

namespace idemcheck::concurrency {
namespace {

template <IdKind K>
void Forget(Ref<K>& ref, const Renaming& names) {
  if (ref.n > names.Seen(K)) ref.n = 0;
}

// A short random pause: nothing, a few yields, or a spin, so that threads drift against each
// other differently on every run.
void Jitter(std::minstd_rand& rng) {
  switch (rng() % 4) {
    case 0:
      break;
    case 1:
      for (uint32_t i = rng() % 4; i > 0; --i) std::this_thread::yield();
      break;
    default: {
      std::atomic<uint32_t> spin{0};
      for (uint32_t i = rng() % 2000; i > 0; --i) spin.fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
}

}  // namespace

Op ForgetUnseenRefs(Op op, const Renaming& names) {
  std::visit(
      [&](auto& o) {
        if constexpr (requires { o.capsule; }) Forget(o.capsule, names);
        if constexpr (requires { o.memory; }) Forget(o.memory, names);
        if constexpr (requires { o.session; }) Forget(o.session, names);
      },
      op);
  return op;
}

ParallelHistory RunParallel(Store& store, const ParallelCase& parallel, uint64_t schedule_seed) {
  ParallelHistory history;
  history.prefix = parallel.prefix;
  Driver prefix_driver(store);
  for (const Op& op : parallel.prefix) history.prefix_outcomes.push_back(prefix_driver.Apply(op));
  history.prefix_names = prefix_driver.renaming();

  const size_t threads = parallel.branches.size();
  std::vector<std::vector<Call>> calls(threads);
  history.thread_names.resize(threads);
  std::atomic<uint64_t> clock{0};
  std::atomic<size_t> waiting{threads};
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::minstd_rand rng(static_cast<uint32_t>(schedule_seed * 0x9e3779b9u + t + 1));
      Driver driver(store, history.prefix_names);
      // Released together: each thread spins until all have arrived.
      waiting.fetch_sub(1);
      while (waiting.load() != 0) std::this_thread::yield();
      for (const Op& branch_op : parallel.branches[t]) {
        Jitter(rng);
        Call call{.thread = t, .op = ForgetUnseenRefs(branch_op, history.prefix_names)};
        call.invoked = clock.fetch_add(1);
        call.outcome = driver.Apply(call.op);
        call.returned = clock.fetch_add(1);
        calls[t].push_back(std::move(call));
      }
      history.thread_names[t] = driver.renaming();
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (std::vector<Call>& thread_calls : calls) {
    for (Call& call : thread_calls) history.calls.push_back(std::move(call));
  }
  return history;
}

}  // namespace idemcheck::concurrency
