// Checks a recorded trace against a model of the contract, the reference by default.
//
// Each operation of the trace runs on a fresh model store (built with the trace's limits) through
// a Driver; the model's outcome must equal the recorded one, code and value, with store-chosen IDs
// matched under E1's renaming. The first difference stops the check and is reported like any
// differential run (runner.h): the operations before it, expected against recorded, and the rule
// that decides it.
//
// Streaming: memory is the model's own state plus the last `context` steps kept for the report,
// however long the trace. Time is the model's: the reference scans its whole history on every
// operation, so a long trace slows down as it grows (docs/traces.md has figures).

#ifndef IDEMCHECK_TRACES_TRACE_CHECKER_H_
#define IDEMCHECK_TRACES_TRACE_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace idemcheck::traces {

struct TraceCheckOptions {
  // The registered store whose outcomes count as expected.
  std::string model = "reference";
  // How many steps before a divergence the report shows.
  size_t context = 40;
  // How the report names the trace, e.g. its file name.
  std::string source = "trace";
};

struct TraceCheckResult {
  uint64_t lines = 0;  // lines read, header and blank lines included
  uint64_t ops = 0;    // operations checked, a diverging one included
  uint64_t bytes = 0;  // bytes read
  // Set at the first recorded outcome that differs from the model's.
  std::optional<size_t> divergence_line;
  std::string rule;    // the rule of SEMANTICS.md that decides the diverging step
  std::string report;  // readable: the steps before it, expected against recorded, the rule

  bool ok() const { return !divergence_line.has_value(); }
};

// InvalidArgument with line, column and what was expected for a malformed trace (including an
// operation without an outcome); NotFound for an unknown model; DataLoss when reading fails.
absl::StatusOr<TraceCheckResult> CheckTrace(std::istream& in, const TraceCheckOptions& options);

}  // namespace idemcheck::traces

#endif  // IDEMCHECK_TRACES_TRACE_CHECKER_H_
