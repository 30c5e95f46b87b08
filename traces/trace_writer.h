// Writes traces (docs/traces.md): the one place where operations and outcomes become JSON.
//
//   TraceWriter writer = TraceWriter::WithOrdinals(std::cout, limits, "idemcheck gen ...");
//   for (const Op& op : ops) writer.Write(op);
//
// A driver that executes a trace on a store writes what the store returned, with the store's own
// IDs, by giving the writer its Driver's renaming:
//
//   TraceWriter writer = TraceWriter::WithStoreIds(out, limits, "my driver", driver.renaming());
//   writer.Write(op, driver.Apply(op));

#ifndef IDEMCHECK_TRACES_TRACE_WRITER_H_
#define IDEMCHECK_TRACES_TRACE_WRITER_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/values.h"
#include "traces/trace.h"

namespace idemcheck::traces {

class TraceWriter {
 public:
  // Writes the header line; store-chosen IDs will be written as ordinals.
  static TraceWriter WithOrdinals(std::ostream& out, const Limits& limits,
                                  absl::string_view producer);

  // Writes the header line; store-chosen IDs will be written as the store IDs (in decimal) that
  // `names` resolves them to when each line is written. `names` must outlive the writer.
  static TraceWriter WithStoreIds(std::ostream& out, const Limits& limits,
                                  absl::string_view producer, const Renaming& names);

  // Writes one operation line, with `outcome` when the operation has been executed.
  void Write(const Op& op);
  void Write(const Op& op, const Outcome& outcome);
  // Writes an operation the store failed before it took effect (TraceStep::unavailable).
  void WriteUnavailable(const Op& op, absl::string_view message);

  // Ok, or DataLoss once the stream has failed.
  absl::Status status() const;

 private:
  TraceWriter(std::ostream& out, const TraceHeader& header, const Renaming* names);
  void WriteLine(const Op& op, const Outcome* outcome, bool unavailable);

  std::ostream* out_;
  const Renaming* names_;  // null: ordinals
};

}  // namespace idemcheck::traces

#endif  // IDEMCHECK_TRACES_TRACE_WRITER_H_
