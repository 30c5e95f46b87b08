// The model-free properties: predicates over one recorded run (trace.h) that need no second
// store. Each knows only what the contract lets it infer from the run itself: which scope a
// create belongs to, when a record was made, what was deleted, what the clock says.

#ifndef IDEMCHECK_PROPERTIES_TRACE_CHECKS_H_
#define IDEMCHECK_PROPERTIES_TRACE_CHECKS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "idemcheck/values.h"
#include "properties/trace.h"

namespace idemcheck::properties {

// Where and why a trace breaks a property.
struct Finding {
  size_t step = 0;   // index of the op at which the property fails
  std::string rule;  // the rule of SEMANTICS.md that decides it, e.g. "M4"
  std::string what;  // one sentence; ops and outcomes spelled by printer.h
};

// P1: a create, chunk or finish identical to an earlier successful one returns the same outcome
// and changes no observable state, unless something in between may legitimately change the
// answer (a revoke, an abort, a grant for capsules, or the record's window running out).
std::optional<Finding> CheckReplayStorm(const Trace& trace, const Limits& limits);

// P2: a memory is inserted exactly by a successful empty-key create or a keyed create with no
// live record, which then returns a new ID; a replay returns the recorded ID and inserts
// nothing; only a delete removes one. So live memories = distinct live keys + empty-key creates
// - deletes.
std::optional<Finding> CheckSingleInsertion(const Trace& trace, const Limits& limits);

// P3: an empty-key CreateMemory or BeginUpload always returns a new ID.
std::optional<Finding> CheckEmptyKey(const Trace& trace, const Limits& limits);

// P4: an ID returned for one (capsule, caller, key) scope is never returned to another.
std::optional<Finding> CheckScopeIsolation(const Trace& trace, const Limits& limits);

// P5: a create whose key has a live record for another payload (memories), other expected
// chunks (uploads), or whose client ID is live with another capsule or payload (galleries,
// folders) fails and changes nothing.
std::optional<Finding> CheckPayloadMismatch(const Trace& trace, const Limits& limits);

// P6: a deleted memory never appears again in a listing or a read, and a retry of its create
// returns its old ID; a deleted gallery or folder does not reappear while its tombstone lives.
std::optional<Finding> CheckNoResurrection(const Trace& trace, const Limits& limits);

// P7: a memory record is live while now < created_at + retention and dead from that second on;
// a pending session expires exactly session_ttl after its begin; a tombstone frees its ID
// exactly retention after the delete.
std::optional<Finding> CheckExpiryBoundary(const Trace& trace, const Limits& limits);

// P9: a store-chosen ID that a create returns again is a legitimate replay: same scope and a
// live record (memories, sessions), the same session (blobs), the oldest owned capsule of the
// subject (capsules). Anything else hands out an ID twice.
std::optional<Finding> CheckIdsNeverReused(const Trace& trace, const Limits& limits);

// P10: an operation by a caller without access to the capsule it names returns what `probe`
// returns for it (the same op on a store that holds nothing but one capsule the caller cannot
// access), and changes nothing; an upload call by anyone but the session's caller, or by a
// caller who lost access, is Unauthorized and changes nothing (U3).
using Probe = std::function<Outcome(const Op& op)>;
std::optional<Finding> CheckUnauthorized(const Trace& trace, const Limits& limits,
                                         const Probe& probe);

}  // namespace idemcheck::properties

#endif  // IDEMCHECK_PROPERTIES_TRACE_CHECKS_H_
