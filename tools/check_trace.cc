// `idemcheck check-trace FILE|-`: checks a trace recorded by any system against the reference
// (docs/traces.md). A thin shell over traces/trace_checker.h.

#include <fstream>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/command.h"
#include "tools/flags.h"
#include "traces/trace_checker.h"

namespace idemcheck::cli {
namespace {

constexpr char kName[] = "idemcheck check-trace";

int CheckTraceCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {{"model"}, {"context"}}, 1);
  if (!flags.ok()) {
    err << kName << ": " << flags.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<uint64_t> context = flags->Uint("context", traces::TraceCheckOptions{}.context);
  if (!context.ok()) {
    err << kName << ": " << context.status().message() << "\n";
    return kExitUsage;
  }
  if (flags->positional().empty()) {
    err << kName << ": which trace? give a file, or - for standard input\n";
    return kExitUsage;
  }
  const std::string path = flags->positional()[0];
  traces::TraceCheckOptions options{
      .model = flags->String("model").value_or("reference"),
      .context = *context,
      .source = path == "-" ? "stdin" : path,
  };

  std::ifstream file;
  std::istream* in = &std::cin;
  if (path == "-") {
    // Unsynchronized with C stdio, std::cin reads in blocks rather than a byte at a time. No
    // standard stream has been used yet, as the call requires.
    std::ios::sync_with_stdio(false);
  } else {
    file.open(path);
    if (!file) {
      err << kName << ": cannot open '" << path << "'\n";
      return kExitUsage;
    }
    in = &file;
  }

  const absl::Time start = absl::Now();
  absl::StatusOr<traces::TraceCheckResult> result = traces::CheckTrace(*in, options);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!result.ok()) {
    err << kName << ": " << options.source << ": " << result.status().message() << "\n";
    return kExitUsage;
  }
  const std::string speed =
      absl::StrFormat("%d ops on %d lines (%.1f MiB) in %.2f s: %.0f lines/s, model %s",
                      result->ops, result->lines, result->bytes / 1048576.0, seconds,
                      seconds > 0 ? result->lines / seconds : 0.0, options.model);
  if (!result->ok()) {
    out << result->report << "inconsistent, rule " << result->rule << ": " << speed << "\n";
    return kExitFailed;
  }
  out << "consistent: " << speed << "\n";
  return kExitOk;
}

IDEMCHECK_REGISTER_COMMAND(
    check_trace,
    {
        .name = "check-trace",
        .usage = "idemcheck check-trace [--model NAME] [--context N] FILE|-",
        .summary = "check a trace recorded by any system against the reference (docs/traces.md)",
        .run = CheckTraceCommand,
    });

}  // namespace
}  // namespace idemcheck::cli
