// The differential runner: one operation sequence on two stores, compared under E1.
//
// After every operation the runner compares the two outcomes (code and renamed value) and then
// the two observable states (every capsule's access lists and R3 listings, renamed). The first
// difference stops the run and is reported with the sequence that led to it, both sides'
// outcomes and the rule of SEMANTICS.md that decides the diverging step.

#ifndef IDEMCHECK_RUNNER_H_
#define IDEMCHECK_RUNNER_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/store.h"

namespace idemcheck {

struct Divergence {
  size_t step = 0;        // index into the sequence of the first diverging op
  bool in_state = false;  // outcomes agreed; the observable state after the step did not
  Outcome expected;
  Outcome actual;
  State expected_state;  // filled when in_state
  State actual_state;
  std::string rule;  // e.g. "M5", the rule that decides this step
};

struct RunResult {
  std::vector<Op> ops;            // the steps that ran, including the diverging one
  std::vector<Outcome> outcomes;  // the expected store's outcomes, one per step run
  std::optional<Divergence> divergence;

  bool ok() const { return !divergence.has_value(); }
};

struct RunOptions {
  // Compare observable states after every step (E1). Off: after the last step only.
  bool compare_state_every_step = true;
};

// Runs `ops` on both stores in lockstep. `expected` is normally the reference.
RunResult RunDifferential(std::span<const Op> ops, Store& expected, Store& actual,
                          const RunOptions& options = {});

// The rule of SEMANTICS.md that decides what `op` should have done, given the expected outcome
// and the wrong one.
std::string RuleFor(const Op& op, const Outcome& expected, const Outcome& actual);

// A readable report: the numbered sequence up to the divergence, then expected vs actual and the
// rule. `expected_name` and `actual_name` label the two sides ("reference", "impl").
std::string FormatReport(const RunResult& result, absl::string_view expected_name,
                         absl::string_view actual_name);

}  // namespace idemcheck

#endif  // IDEMCHECK_RUNNER_H_
