// idemcheck_bench: the benchmark suite (suite.h) on registered stores, with Google Benchmark's
// own flags plus:
//
//   --stores=a,b              stores to measure (default: "impl" and "reference"; with --smoke,
//                             every store that is not a mutant)
//   --sizes=1000,10000        stored records (default: 1000,10000,100000,1000000)
//   --reference_max_size=N    largest size for stores of kind reference (default: 100000)
//   --measure_seconds=S       timed store + floor time of each repetition of a row (default: 0.1)
//   --smoke                   size 1000 only, one iteration of everything: checks that every
//                             benchmark runs and gets the answers the contract requires
//
// Exit status: 0 when every benchmark ran, 1 when one reported an error, 2 for bad flags.

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bench/suite.h"
#include "benchmark/benchmark.h"
#include "idemcheck/registry.h"

namespace idemcheck::bench {
namespace {

constexpr char kUsage[] =
    "idemcheck_bench [--stores=a,b] [--sizes=1000,10000] [--reference_max_size=N]\n"
    "                [--measure_seconds=S] [--smoke] [Google Benchmark flags]\n";

absl::StatusOr<size_t> ParseSize(absl::string_view flag, absl::string_view text) {
  size_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value == 0 || value > (size_t{1} << 31)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' is not a whole number in 1..2^31"));
  }
  return value;
}

// Takes our flags out of argv, leaving Google Benchmark's.
absl::StatusOr<SuiteOptions> ParseOptions(int* argc, char** argv) {
  SuiteOptions options;
  options.sizes = {1'000, 10'000, 100'000, 1'000'000};
  bool stores_given = false;
  bool sizes_given = false;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--stores=")) {
      stores_given = true;
      for (absl::string_view name : absl::StrSplit(arg, ',', absl::SkipEmpty())) {
        if (Registry::Global().Find(name) == nullptr) {
          return Registry::Global().Create(name).status();  // names the stores that exist
        }
        options.stores.emplace_back(name);
      }
    } else if (absl::ConsumePrefix(&arg, "--sizes=")) {
      sizes_given = true;
      options.sizes.clear();
      for (absl::string_view text : absl::StrSplit(arg, ',', absl::SkipEmpty())) {
        absl::StatusOr<size_t> size = ParseSize("sizes", text);
        if (!size.ok()) return size.status();
        options.sizes.push_back(*size);
      }
    } else if (absl::ConsumePrefix(&arg, "--reference_max_size=")) {
      absl::StatusOr<size_t> size = ParseSize("reference_max_size", arg);
      if (!size.ok()) return size.status();
      options.reference_max_size = *size;
    } else if (absl::ConsumePrefix(&arg, "--measure_seconds=")) {
      if (!absl::SimpleAtod(arg, &options.measure_seconds) || !(options.measure_seconds > 0) ||
          options.measure_seconds > 3600) {
        return absl::InvalidArgumentError(
            absl::StrCat("--measure_seconds: '", arg, "' is not a number of seconds in (0, 3600]"));
      }
    } else if (arg == "--smoke") {
      options.smoke = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  if (!stores_given) {
    for (const StoreInfo* info : Registry::Global().All()) {
      // Every correct store runs in the smoke test; a full run measures the two that matter,
      // since variants (such as a deliberately weak hash) may be quadratic at 10^6.
      const bool wanted = options.smoke ? info->kind != StoreKind::kMutant
                                        : info->name == "impl" || info->name == "reference";
      if (wanted) options.stores.push_back(info->name);
    }
  }
  if (options.stores.empty()) return absl::InvalidArgumentError("--stores: no store named");
  if (options.sizes.empty()) return absl::InvalidArgumentError("--sizes: no size given");
  if (options.smoke && !sizes_given) options.sizes = {1'000};
  return options;
}

void PrintHelp() {
  std::fputs(kUsage, stdout);
  std::fputs("\nGoogle Benchmark flags:\n", stdout);
  benchmark::PrintDefaultHelp();
}

}  // namespace
}  // namespace idemcheck::bench

int main(int argc, char** argv) {
  namespace bench = idemcheck::bench;
  absl::StatusOr<bench::SuiteOptions> options = bench::ParseOptions(&argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "idemcheck_bench: %s\nusage: %s",
                 std::string(options.status().message()).c_str(), bench::kUsage);
    return 2;
  }
  benchmark::Initialize(&argc, argv, bench::PrintHelp);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  bench::RegisterSuite(*options);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (bench::SuiteFailures() > 0) {
    std::fprintf(stderr, "idemcheck_bench: %d benchmark(s) reported an error\n",
                 bench::SuiteFailures());
    return 1;
  }
  return 0;
}
