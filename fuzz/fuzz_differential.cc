// fuzz_differential: the input's operation sequence (decoder.h) on the reference and on the store
// named by the environment variable IDEMCHECK_IMPL (default "impl"), in lockstep through the
// differential runner (differential.h). A divergence prints the runner's report and aborts, so
// that the fuzzer keeps the input as a crash. Mutations are record-aware (record_mutator.h).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fuzz/decoder.h"
#include "fuzz/differential.h"
#include "fuzz/record_mutator.h"
#include "idemcheck/runner.h"

namespace idemcheck::fuzz {
namespace {

const std::string& ImplUnderTest() {
  static const auto* name = [] {
    const char* env = std::getenv("IDEMCHECK_IMPL");
    return new std::string(env != nullptr && *env != '\0' ? env : "impl");
  }();
  return *name;
}

RunResult Run(const FuzzInput& input, const RunOptions& options) {
  absl::StatusOr<RunResult> result = RunInput(input, ImplUnderTest(), options);
  if (!result.ok()) {
    // An unknown store name is a usage error, not a finding.
    std::fprintf(stderr, "fuzz_differential: IDEMCHECK_IMPL: %s\n",
                 std::string(result.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(result);
}

// Outcomes are compared after every step but observable states only after the last: observing
// both stores after every step would cost most of the time of a run, and a state that diverged
// stays diverged in practice. A divergence is then run again with every state compared, so that
// the report names the first diverging step exactly as `idemcheck replay` does.
void RunOne(absl::string_view bytes) {
  const FuzzInput input = Decode(bytes);
  if (Run(input, {.compare_state_every_step = false}).ok()) return;
  const RunResult precise = Run(input, {});
  std::fprintf(stderr, "setup: %s\n%s", Describe(input).c_str(),
               FormatReport(precise, "reference", ImplUnderTest()).c_str());
  std::abort();
}

}  // namespace
}  // namespace idemcheck::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  idemcheck::fuzz::RunOne(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

// libFuzzer's; weak, so that the plain replay driver links without it (and never mutates).
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size,
                                                         size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return idemcheck::fuzz::MutateRecords(data, size, max_size, seed, &LLVMFuzzerMutate);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,
                                            const uint8_t* data2, size_t size2, uint8_t* out,
                                            size_t max_out_size, unsigned int seed) {
  return idemcheck::fuzz::CrossRecords(data1, size1, data2, size2, out, max_out_size, seed);
}
