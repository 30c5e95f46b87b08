// The one place that turns operations and outcomes into text for people.
//
//   m1 = CreateMemory(alice, c1, {title "a", 3 bytes}, key "k1") -> Ok(m1)
//        CreateMemory(alice, c1, {title "a", 3 bytes}, key "k1") -> Ok(m1)
//        CreateMemory(alice, c1, {title "b", 3 bytes}, key "k1") -> Conflict
//
// Store-chosen IDs print as their symbolic names (c1, m2, u1 for upload sessions, b1 for blobs);
// a step that hands out a new one is prefixed with "name =". Strings print quoted with escapes
// when they are not plain identifiers; long strings print shortened with their length.

#ifndef IDEMCHECK_PRINTER_H_
#define IDEMCHECK_PRINTER_H_

#include <ostream>
#include <span>
#include <string>

#include "idemcheck/ops.h"

namespace idemcheck {

std::string ToString(const Op& op);
std::string ToString(const Outcome& outcome);  // "Ok(m1)", "Conflict", "Ok([m1 {...}, m2 ...])"
std::string ToString(const State& state);      // one line per capsule

template <IdKind K>
std::string ToString(Ref<K> ref);

// Renders a run: one numbered line per op with its outcome. `outcomes` may be shorter than `ops`
// (steps not run yet print without an outcome).
std::string FormatSequence(std::span<const Op> ops, std::span<const Outcome> outcomes);

// Hooks so GoogleTest and RapidCheck print ops and outcomes with this printer.
void PrintTo(const Op& op, std::ostream* os);
void PrintTo(const Outcome& outcome, std::ostream* os);
std::ostream& operator<<(std::ostream& os, const Op& op);
std::ostream& operator<<(std::ostream& os, const Outcome& outcome);

}  // namespace idemcheck

#endif  // IDEMCHECK_PRINTER_H_
