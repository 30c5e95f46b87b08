// `idemcheck replay FILE [--impl NAME]`: decodes a fuzz input (fuzz/decoder.h) and runs it on the
// reference and on a store, printing the sequence with its outcomes and the first divergence.
// It reproduces a crash file of fuzz_differential without libFuzzer. FILE "-" is standard input.

#include <cstddef>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fuzz/decoder.h"
#include "fuzz/differential.h"
#include "idemcheck/printer.h"
#include "idemcheck/runner.h"
#include "tools/command.h"
#include "tools/flags.h"

namespace idemcheck::cli {
namespace {

bool ReadInput(const std::string& path, std::string& bytes) {
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

int Replay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {{"impl"}}, 1);
  if (flags.ok() && flags->positional().size() != 1) {
    flags = absl::InvalidArgumentError("expected one FILE");
  }
  if (!flags.ok()) {
    err << "idemcheck replay: " << flags.status().message() << "\n";
    return kExitUsage;
  }
  const std::string& path = flags->positional()[0];
  const std::string impl = flags->String("impl").value_or("impl");
  std::string bytes;
  if (!ReadInput(path, bytes)) {
    err << "idemcheck replay: cannot read " << path << "\n";
    return kExitUsage;
  }

  const fuzz::FuzzInput input = fuzz::Decode(bytes);
  absl::StatusOr<RunResult> run = fuzz::RunInput(input, impl);
  if (!run.ok()) {
    err << "idemcheck replay: " << run.status().message() << "\n";
    return kExitUsage;
  }
  const RunResult& result = *run;
  out << path << ": " << bytes.size() << " bytes, " << input.ops.size() << " operations, "
      << fuzz::Describe(input) << "\n";
  if (bytes.size() > fuzz::kMaxInputBytes) {
    out << "(cut at " << fuzz::kMaxRecords << " records)\n";
  }
  if (result.ok()) {
    // Both sides answered every step alike: one column of outcomes is both sides'.
    out << FormatSequence(result.ops, result.outcomes) << FormatReport(result, "reference", impl);
    return kExitOk;
  }
  out << FormatReport(result, "reference", impl);
  const size_t not_run = input.ops.size() - result.ops.size();
  if (not_run > 0) out << "(" << not_run << " later operations not run)\n";
  return kExitFailed;
}

IDEMCHECK_REGISTER_COMMAND(
    replay,
    {
        .name = "replay",
        .usage = "idemcheck replay FILE [--impl NAME]",
        .summary =
            "decode a fuzz input and show where NAME (default impl) diverges from the reference",
        .run = Replay,
    });

}  // namespace
}  // namespace idemcheck::cli
