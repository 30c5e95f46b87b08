#include "properties/parallel_property.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "properties/generators.h"

namespace idemcheck::properties {
namespace {

using concurrency::ParallelCase;
using concurrency::ParallelHistory;

constexpr char kProfile[] = "replay";
constexpr char kOwner[] = "alice";

bool IsCreate(const Op& op) {
  return std::holds_alternative<op::CreateCapsule>(op) ||
         std::holds_alternative<op::CreateMemory>(op) ||
         std::holds_alternative<op::CreateGallery>(op) ||
         std::holds_alternative<op::CreateFolder>(op) ||
         std::holds_alternative<op::BeginUpload>(op);
}

// `op` moved into the first capsule, called by its owner, so that branches contend on it.
Op Focus(Op op) {
  std::visit(
      [](auto& o) {
        if constexpr (requires { o.capsule; }) o.capsule = CapsuleRef{1};
        if constexpr (requires { o.caller; }) o.caller = kOwner;
      },
      op);
  return op;
}

// The memory create that every case contends on: a valid non-empty key, so that it is
// idempotent and two overlapping calls must share one memory (M4).
Op ContendedMemoryCreate(std::vector<Op>& pool, std::mt19937_64& rng) {
  for (const Op& op : pool) {
    const auto* create = std::get_if<op::CreateMemory>(&op);
    if (create != nullptr && !create->key.empty() && IsValidIdemKey(create->key)) {
      return Focus(op);
    }
  }
  return op::CreateMemory{kOwner, CapsuleRef{1}, pools::Pick(pools::MemoryPayloads(), rng()),
                          pools::Keys()[1 + rng() % 3]};
}

std::vector<Op> Sample(uint64_t seed, size_t count) {
  absl::StatusOr<std::vector<Op>> ops = SampleOps(seed, count, kProfile);
  return ops.ok() ? *std::move(ops) : std::vector<Op>{};
}

struct RunOutcome {
  ParallelHistory history;
  concurrency::LinearizabilityResult result;
};

class Checker {
 public:
  Checker(const ParallelOptions& options, ParallelReport& report)
      : options_(options), report_(report) {}

  // One run of `parallel` on a fresh store.
  absl::StatusOr<RunOutcome> Run(const ParallelCase& parallel, uint64_t schedule_seed) {
    absl::StatusOr<std::unique_ptr<Store>> store =
        Registry::Global().Create(options_.impl, StoreOptions{.limits = options_.limits});
    if (!store.ok()) return store.status();
    RunOutcome out;
    out.history = concurrency::RunParallel(**store, parallel, schedule_seed);
    const auto start = std::chrono::steady_clock::now();
    out.result = concurrency::CheckLinearizable(out.history, {.limits = options_.limits});
    report_.check_nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count();
    report_.nodes += out.result.nodes;
    ++report_.runs;
    report_.inconclusive += out.result.verdict == concurrency::Verdict::kInconclusive;
    return out;
  }

  // The first failing run of up to `runs` runs, or nullopt.
  absl::StatusOr<std::optional<RunOutcome>> FindFailure(const ParallelCase& parallel, size_t runs) {
    for (size_t r = 0; r < runs; ++r) {
      absl::StatusOr<RunOutcome> out = Run(parallel, ++schedule_);
      if (!out.ok()) return out.status();
      if (!out->result.ok()) return std::optional<RunOutcome>(*std::move(out));
    }
    return std::optional<RunOutcome>();
  }

  // Removes operations, one at a time, while some run of what is left still fails.
  absl::StatusOr<std::pair<ParallelCase, RunOutcome>> Shrink(ParallelCase parallel,
                                                             RunOutcome failure) {
    bool progress = true;
    while (progress) {
      progress = false;
      for (const ParallelCase& candidate : Removals(parallel)) {
        absl::StatusOr<std::optional<RunOutcome>> found =
            FindFailure(candidate, options_.shrink_runs);
        if (!found.ok()) return found.status();
        if (!found->has_value()) continue;
        parallel = candidate;
        failure = **std::move(found);
        progress = true;
        break;
      }
    }
    return std::make_pair(std::move(parallel), std::move(failure));
  }

 private:
  // Every case with one operation fewer: from a branch (dropping a branch that empties, while
  // two remain), or from the prefix.
  static std::vector<ParallelCase> Removals(const ParallelCase& parallel) {
    std::vector<ParallelCase> out;
    for (size_t b = 0; b < parallel.branches.size(); ++b) {
      for (size_t i = 0; i < parallel.branches[b].size(); ++i) {
        ParallelCase smaller = parallel;
        std::vector<Op>& branch = smaller.branches[b];
        branch.erase(branch.begin() + i);
        if (branch.empty()) {
          if (smaller.branches.size() <= 2) continue;
          smaller.branches.erase(smaller.branches.begin() + b);
        }
        out.push_back(std::move(smaller));
      }
    }
    for (size_t i = 0; i < parallel.prefix.size(); ++i) {
      ParallelCase smaller = parallel;
      smaller.prefix.erase(smaller.prefix.begin() + i);
      out.push_back(std::move(smaller));
    }
    return out;
  }

  const ParallelOptions& options_;
  ParallelReport& report_;
  uint64_t schedule_ = 0;
};

}  // namespace

ParallelCase GenerateParallelCase(uint64_t seed, size_t index, size_t max_branch_ops) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + index);
  ParallelCase parallel;
  // The prefix makes the capsule the branches contend on, then a few ops of any kind.
  parallel.prefix.push_back(op::CreateCapsule{kOwner, kOwner});
  for (Op& op : Sample(rng(), rng() % 4)) parallel.prefix.push_back(std::move(op));

  std::vector<Op> pool = Sample(rng(), 8);
  // Hot operations: the contended memory create and up to two other creates, all in one capsule.
  std::vector<Op> hot = {ContendedMemoryCreate(pool, rng)};
  for (const Op& op : pool) {
    if (IsCreate(op) && hot.size() < 3) hot.push_back(Focus(op));
  }
  if (pool.empty()) pool = hot;

  const size_t threads = 2 + rng() % 2;
  for (size_t t = 0; t < threads; ++t) {
    std::vector<Op>& branch = parallel.branches.emplace_back();
    const size_t length = 1 + rng() % std::max<size_t>(max_branch_ops, 1);
    for (size_t i = 0; i < length; ++i) {
      branch.push_back(rng() % 2 == 0 ? hot[rng() % hot.size()] : pool[rng() % pool.size()]);
    }
  }
  return parallel;
}

absl::StatusOr<ParallelReport> CheckParallel(const ParallelOptions& options) {
  const StoreInfo* info = Registry::Global().Find(options.impl);
  if (info == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no store named '", options.impl, "'"));
  }
  if (!info->thread_safe) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store '", options.impl, "' is not thread-safe: the parallel property needs one that is"));
  }
  ParallelReport report;
  Checker checker(options, report);
  for (size_t c = 0; c < options.cases; ++c) {
    ++report.cases;
    const ParallelCase parallel = GenerateParallelCase(options.seed, c, options.max_branch_ops);
    absl::StatusOr<std::optional<RunOutcome>> failure =
        checker.FindFailure(parallel, options.runs_per_case);
    if (!failure.ok()) return failure.status();
    if (!failure->has_value()) continue;

    absl::StatusOr<std::pair<ParallelCase, RunOutcome>> shrunk =
        checker.Shrink(parallel, **std::move(failure));
    if (!shrunk.ok()) return shrunk.status();
    report.passed = false;
    report.counterexample = shrunk->first;
    const RunOutcome& run = shrunk->second;
    report.text = absl::StrFormat(
        "%s is not linearizable (seed %d, case %d, shrunk to %d ops):\n%s\n%s", options.impl,
        options.seed, c, run.history.prefix.size() + run.history.calls.size(),
        concurrency::FormatParallelHistory(run.history), run.result.explanation);
    return report;
  }
  return report;
}

}  // namespace idemcheck::properties
