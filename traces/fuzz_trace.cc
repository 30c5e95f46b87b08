// fuzz_trace: the trace reader and checker on arbitrary bytes (docs/traces.md).
//
// Each input is a trace file. Whatever its bytes, checking and reading must end in a result or a
// located InvalidArgument ("line L, column C: ..." with L a line of the input), never in a
// crash, a hang or an unbounded allocation (the sanitizers' and libFuzzer's to report). Two
// properties make it more than a crash test:
//   - the reader and the writer agree: a trace that reads, written again with ordinal IDs, reads
//     again to what writes the same text;
//   - renaming does not change a verdict: that ordinal rewrite checks exactly as the input did.
// A violation prints both sides and aborts.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "traces/trace.h"
#include "traces/trace_checker.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace idemcheck::traces {
namespace {

[[noreturn]] void Fail(absl::string_view what, absl::string_view details) {
  std::fprintf(stderr, "fuzz_trace: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(details.size()), details.data());
  std::abort();
}

size_t LineCount(absl::string_view text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

// Malformed input must be refused as such, at a line of the input.
void ExpectLocated(const absl::Status& status, absl::string_view text) {
  const absl::string_view message = status.message();
  size_t line = 0;
  const bool located =
      status.code() == absl::StatusCode::kInvalidArgument && absl::StartsWith(message, "line ") &&
      absl::SimpleAtoi(message.substr(5, message.find(',') - 5), &line) &&
      absl::StrContains(message, ", column ") && line >= 1 && line <= LineCount(text);
  if (!located) Fail("an error without a valid location", status.ToString());
}

struct Trace {
  TraceHeader header;
  std::vector<TraceStep> steps;
};

absl::StatusOr<Trace> ReadAll(const std::string& text) {
  std::istringstream in(text);
  absl::StatusOr<TraceReader> reader = TraceReader::Open(in);
  if (!reader.ok()) return reader.status();
  Trace trace{.header = reader->header()};
  while (true) {
    absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
    if (!step.ok()) return step.status();
    if (!*step) return trace;
    trace.steps.push_back(std::move(**step));
  }
}

std::string WriteOrdinal(const Trace& trace) {
  std::ostringstream out;
  TraceWriter writer = TraceWriter::WithOrdinals(out, trace.header.limits, trace.header.producer);
  for (const TraceStep& step : trace.steps) {
    if (!step.outcome) {
      writer.Write(step.op);
    } else if (step.unavailable) {
      writer.WriteUnavailable(step.op, step.outcome->message);
    } else {
      writer.Write(step.op, *step.outcome);
    }
  }
  return out.str();
}

absl::StatusOr<TraceCheckResult> Check(const std::string& text) {
  std::istringstream in(text);
  return CheckTrace(in, {.context = 4});
}

void TestOneInput(const std::string& text) {
  absl::StatusOr<TraceCheckResult> checked = Check(text);
  if (!checked.ok()) ExpectLocated(checked.status(), text);

  absl::StatusOr<Trace> read = ReadAll(text);
  if (!read.ok()) {
    ExpectLocated(read.status(), text);
    return;
  }
  const std::string once = WriteOrdinal(*read);
  absl::StatusOr<Trace> again = ReadAll(once);
  if (!again.ok()) Fail("a trace the writer wrote does not read", again.status().ToString());
  const std::string twice = WriteOrdinal(*again);
  if (twice != once) Fail("writing what was read changed the trace", once + "\n---\n" + twice);

  if (checked.ok()) {
    absl::StatusOr<TraceCheckResult> rechecked = Check(once);
    if (!rechecked.ok() || rechecked->ok() != checked->ok() || rechecked->rule != checked->rule ||
        rechecked->ops != checked->ops) {
      Fail("the ordinal rewrite checks differently", once);
    }
  }
}

}  // namespace
}  // namespace idemcheck::traces

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  idemcheck::traces::TestOneInput(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
