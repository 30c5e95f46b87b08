// Reads traces (docs/traces.md) one line at a time, into the same `Op` and `Outcome` values every
// other producer of the operation language uses.
//
//   absl::StatusOr<TraceReader> reader = TraceReader::Open(in);
//   while (true) {
//     absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
//     if (!step.ok()) ...         // malformed: "line 7, column 23: expected ..., found ..."
//     if (!*step) break;          // end of input
//     ... (*step)->op, (*step)->outcome
//   }
//
// With raw IDs (IdSpelling::kRaw) the reader renames the store's ID strings to refs exactly as a
// Driver renames a store's IDs (E1): the n-th distinct ID of a kind that appears in an outcome is
// ordinal n. An argument that names an ID no earlier outcome returned becomes ordinal 0, which
// names an ID no store issued.
//
// Memory: one line at a time, plus one table entry per distinct raw ID. Blank lines are skipped.

#ifndef IDEMCHECK_TRACES_TRACE_READER_H_
#define IDEMCHECK_TRACES_TRACE_READER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "idemcheck/ops.h"
#include "traces/trace.h"

namespace idemcheck::traces {

class RawIdNames;  // the store's ID strings, in order of first appearance per kind

class TraceReader {
 public:
  struct Options {
    // Every operation line must carry an outcome (a trace to check, not one to execute).
    bool require_outcomes = false;
  };

  // Reads and checks the header line. InvalidArgument, with the line and column and what was
  // expected, when it is missing or malformed; DataLoss when reading fails.
  static absl::StatusOr<TraceReader> Open(std::istream& in, const Options& options);
  static absl::StatusOr<TraceReader> Open(std::istream& in) { return Open(in, Options{}); }

  TraceReader(TraceReader&&);
  TraceReader& operator=(TraceReader&&);
  ~TraceReader();

  const TraceHeader& header() const { return header_; }

  // The next operation line; nullopt at the end of the input. Errors as for Open.
  absl::StatusOr<std::optional<TraceStep>> Next();

  // Lines and bytes consumed so far, the header and blank lines included.
  size_t lines_read() const { return line_number_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  TraceReader(std::istream& in, const Options& options);
  // The next non-blank line into `line_`; false at end of input.
  absl::StatusOr<bool> ReadLine();

  std::istream* in_;
  Options options_;
  TraceHeader header_;
  std::string line_;
  size_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
  std::unique_ptr<RawIdNames> raw_ids_;
};

}  // namespace idemcheck::traces

#endif  // IDEMCHECK_TRACES_TRACE_READER_H_
