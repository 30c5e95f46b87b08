// A trace: a recorded history of operations on one store, as JSON Lines (docs/traces.md).
//
// The first line is a header (format version, how IDs are spelled, the limits the store ran
// with); every further line is one operation with its arguments and, once a driver has executed
// it, the outcome the store returned. The reader (trace_reader.h) turns lines into the same `Op`
// and `Outcome` values every other producer uses; the writer (trace_writer.h) is the only place
// they become JSON.

#ifndef IDEMCHECK_TRACES_TRACE_H_
#define IDEMCHECK_TRACES_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "idemcheck/ops.h"
#include "idemcheck/values.h"

namespace idemcheck::traces {

// The version this build reads and writes. A reader refuses any other.
inline constexpr int kTraceFormatVersion = 1;

// How a trace spells store-chosen IDs (capsules, memories, upload sessions, blobs).
enum class IdSpelling : uint8_t {
  // JSON integers: n names the n-th distinct ID of that kind the store has returned so far; an n
  // not returned yet names an ID the store never issued. What `idemcheck gen` writes.
  kOrdinal,
  // JSON strings: the store's own IDs, in any scheme. The reader renames them to ordinals in
  // order of first appearance in outcomes (E1).
  kRaw,
};

struct TraceHeader {
  int version = kTraceFormatVersion;
  IdSpelling ids = IdSpelling::kOrdinal;
  // What the store was built with: retention, session TTL and the size limits.
  Limits limits;
  // What wrote the trace, free text (e.g. "idemcheck gen --seed 7 --ops 100"); may be empty.
  std::string producer;
};

// One operation line, in symbolic form.
struct TraceStep {
  Op op;
  // What the store returned; absent in a trace no driver has executed yet.
  std::optional<Outcome> outcome;
  // The store failed the call before it took effect (an injected fault, a refused request) and
  // promises it changed nothing: the trace's code "Unavailable", held in `outcome` as
  // kOutsideContract with the store's message. A checker does not apply such a call; a client
  // would retry it, and the retry is the next line.
  bool unavailable = false;
  size_t line = 0;  // 1-based line number in the trace
};

}  // namespace idemcheck::traces

#endif  // IDEMCHECK_TRACES_TRACE_H_
