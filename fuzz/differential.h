// One decoded fuzz input (decoder.h) on the reference and on a registered store, the way both
// fuzz_differential and `idemcheck replay` run it: fresh stores built with the input's setup, the
// store under test wrapped in TransientFaults for the input's faults.

#ifndef IDEMCHECK_FUZZ_DIFFERENTIAL_H_
#define IDEMCHECK_FUZZ_DIFFERENTIAL_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fuzz/decoder.h"
#include "idemcheck/runner.h"

namespace idemcheck::fuzz {

// NotFound, naming the registered stores, when `impl` is not one of them.
absl::StatusOr<RunResult> RunInput(const FuzzInput& input, absl::string_view impl,
                                   const RunOptions& options = {});

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_DIFFERENTIAL_H_
