#include "properties/trace.h"

#include <span>
#include <variant>

#include "idemcheck/driver.h"

namespace idemcheck::properties {

const State& Trace::Before(size_t i) const {
  static const auto* empty = new State();
  return i == 0 ? *empty : states[i - 1];
}

bool Trace::IsNew(size_t i, IdKind kind, uint32_t n) const {
  return n > seen[i][static_cast<int>(kind)];
}

Trace Record(Store& store, std::span<const Op> ops) {
  Driver driver(store);
  Trace trace;
  trace.ops.assign(ops.begin(), ops.end());
  trace.outcomes.reserve(ops.size());
  trace.states.reserve(ops.size());
  trace.clocks.reserve(ops.size());
  trace.seen.reserve(ops.size());
  uint64_t clock = 0;
  for (const Op& op : ops) {
    std::array<uint32_t, kIdKindCount> seen;
    for (int k = 0; k < kIdKindCount; ++k) seen[k] = driver.renaming().Seen(static_cast<IdKind>(k));
    trace.seen.push_back(seen);
    trace.clocks.push_back(clock);
    Outcome outcome = driver.Apply(op);
    if (const auto* advance = std::get_if<op::AdvanceClock>(&op); advance && outcome.ok()) {
      clock += advance->seconds;
    }
    trace.outcomes.push_back(std::move(outcome));
    trace.states.push_back(driver.Observe());
  }
  return trace;
}

}  // namespace idemcheck::properties
