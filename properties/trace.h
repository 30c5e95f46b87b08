// A recorded run of one operation sequence on one store: what every step returned, the observable
// state after it and the store clock when it ran. The model-free properties (P1-P7, P9) are
// predicates over a trace, so one run serves all of them.

#ifndef IDEMCHECK_PROPERTIES_TRACE_H_
#define IDEMCHECK_PROPERTIES_TRACE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "idemcheck/ops.h"
#include "idemcheck/store.h"

namespace idemcheck::properties {

struct Trace {
  std::vector<Op> ops;
  std::vector<Outcome> outcomes;  // one per op
  std::vector<State> states;      // states[i]: the observable state after op i
  // clocks[i]: the store clock when op i ran, the sum of the advances the store accepted before.
  std::vector<uint64_t> clocks;
  // seen[i][kind]: how many distinct IDs of each kind the run had seen before op i, so a ref
  // `n` returned by op i is new exactly when n > seen[i][kind].
  std::vector<std::array<uint32_t, kIdKindCount>> seen;

  size_t size() const { return ops.size(); }
  // The observable state before op i (the empty store's before op 0).
  const State& Before(size_t i) const;
  bool IsNew(size_t i, IdKind kind, uint32_t n) const;
};

// Runs `ops` on `store` from its current state (normally fresh) and records every step.
Trace Record(Store& store, std::span<const Op> ops);

}  // namespace idemcheck::properties

#endif  // IDEMCHECK_PROPERTIES_TRACE_H_
