#include "tools/check_parallel.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "properties/parallel_property.h"
#include "tools/command.h"

namespace idemcheck::cli {

int CheckParallelCommand(const StoreInfo& store, const Flags& flags, std::ostream& out,
                         std::ostream& err) {
  properties::ParallelOptions options{.impl = store.name};
  absl::StatusOr<uint64_t> cases = flags.Uint("cases", options.cases, 1, 1'000'000);
  absl::StatusOr<uint64_t> seed = flags.Uint("seed", options.seed);
  absl::StatusOr<uint64_t> max_ops = flags.Uint("max-ops", options.max_branch_ops, 1, 10);
  for (const absl::Status& status : {cases.status(), seed.status(), max_ops.status()}) {
    if (!status.ok()) {
      err << "idemcheck: parallel property: " << status.message() << "\n";
      return kExitUsage;
    }
  }
  if (flags.Has("property")) {
    err << "idemcheck: parallel property: --property does not apply; the parallel property is one "
           "property\n";
    return kExitUsage;
  }
  if (!store.thread_safe) {
    err << "idemcheck: parallel property: store '" << store.name
        << "' is not thread-safe (its registry entry says so); `idemcheck list-impls` lists the "
           "stores\n";
    return kExitUsage;
  }
  options.cases = *cases;
  options.seed = *seed;
  options.max_branch_ops = *max_ops;

  out << absl::StrFormat(
      "checking %s for linearizability: %d cases of 2-3 branches of up to %d ops, %d runs each, "
      "seed %d\n",
      store.name, options.cases, options.max_branch_ops, options.runs_per_case, options.seed);
  out.flush();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<properties::ParallelReport> report = properties::CheckParallel(options);
  if (!report.ok()) {
    err << "idemcheck: parallel property: " << report.status().message() << "\n";
    return kExitUsage;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double runs = report->runs > 0 ? static_cast<double>(report->runs) : 1;
  out << absl::StrFormat(
      "%d cases, %d runs in %.2f s; checker %.1f us and %.1f search nodes per run; %d "
      "inconclusive\n",
      report->cases, report->runs, seconds, report->check_nanos / 1e3 / runs, report->nodes / runs,
      report->inconclusive);
  if (report->passed) {
    out << "passed\n";
    return kExitOk;
  }
  out << "\n"
      << report->text << "\nreproduce: idemcheck check-parallel --impl " << store.name << " --seed "
      << options.seed << " --cases " << options.cases << "\n";
  return kExitFailed;
}

namespace {

constexpr char kUsage[] =
    "idemcheck check-parallel --impl NAME [--cases N] [--seed S] [--max-ops N]";

int CheckParallelMain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {{"impl"}, {"cases"}, {"seed"}, {"max-ops"}});
  if (!flags.ok()) {
    err << "idemcheck check-parallel: " << flags.status().message() << "\nusage: " << kUsage
        << "\n";
    return kExitUsage;
  }
  const std::optional<std::string> impl = flags->String("impl");
  const StoreInfo* info = impl.has_value() ? Registry::Global().Find(*impl) : nullptr;
  if (info == nullptr) {
    err << "idemcheck check-parallel: "
        << (impl.has_value() ? absl::StrCat("no store named '", *impl, "'")
                             : std::string("--impl is required"))
        << "; `idemcheck list-impls` lists them\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  return CheckParallelCommand(*info, *flags, out, err);
}

IDEMCHECK_REGISTER_COMMAND(
    check_parallel,
    {
        .name = "check-parallel",
        .usage = kUsage,
        .summary =
            "the parallel property: is every concurrent run of a thread-safe store linearizable",
        .run = CheckParallelMain,
    });

}  // namespace
}  // namespace idemcheck::cli
