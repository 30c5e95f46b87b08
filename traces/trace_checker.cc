#include "traces/trace_checker.h"

#include <deque>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"
#include "idemcheck/runner.h"
#include "idemcheck/store.h"
#include "traces/trace.h"
#include "traces/trace_reader.h"

namespace idemcheck::traces {
namespace {

// The steps a report shows before a divergence: the last `capacity` that agreed.
class Window {
 public:
  explicit Window(size_t capacity) : capacity_(capacity) {}

  void Add(Op op, Outcome outcome) {
    if (capacity_ == 0) return;
    if (ops_.size() == capacity_) {
      ops_.pop_front();
      outcomes_.pop_front();
    }
    ops_.push_back(std::move(op));
    outcomes_.push_back(std::move(outcome));
  }

  // A run whose last step is the diverging one, for FormatReport.
  RunResult Diverged(const Op& op, Outcome expected, Outcome recorded, std::string rule) const {
    RunResult run{.ops = {ops_.begin(), ops_.end()},
                  .outcomes = {outcomes_.begin(), outcomes_.end()}};
    run.ops.push_back(op);
    run.outcomes.push_back(expected);
    run.divergence = Divergence{.step = ops_.size(),
                                .expected = std::move(expected),
                                .actual = std::move(recorded),
                                .rule = std::move(rule)};
    return run;
  }

  size_t size() const { return ops_.size(); }

 private:
  size_t capacity_;
  std::deque<Op> ops_;
  std::deque<Outcome> outcomes_;
};

}  // namespace

absl::StatusOr<TraceCheckResult> CheckTrace(std::istream& in, const TraceCheckOptions& options) {
  absl::StatusOr<TraceReader> reader = TraceReader::Open(in, {.require_outcomes = true});
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::unique_ptr<Store>> model =
      Registry::Global().Create(options.model, StoreOptions{.limits = reader->header().limits});
  if (!model.ok()) return model.status();
  Driver driver(**model);
  Window window(options.context);
  TraceCheckResult result;
  while (true) {
    absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
    if (!step.ok()) return step.status();
    result.lines = reader->lines_read();
    result.bytes = reader->bytes_read();
    if (!step->has_value()) break;
    TraceStep& s = **step;
    ++result.ops;
    if (s.unavailable) {
      // The call changed nothing: the model does not see it, the report does.
      window.Add(std::move(s.op), std::move(*s.outcome));
      continue;
    }
    Outcome expected = driver.Apply(s.op);
    if (expected != *s.outcome) {
      result.divergence_line = s.line;
      result.rule = RuleFor(s.op, expected, *s.outcome);
      const size_t shown = window.size();
      std::string where = absl::StrCat(options.source, ", line ", s.line, ": op ", result.ops,
                                       " returned what the ", options.model, " does not");
      if (shown == 0 && result.ops > 1) {
        absl::StrAppend(&where, " (the ", result.ops - 1, " ops before it are not shown)");
      } else if (result.ops > shown + 1) {
        absl::StrAppend(&where, " (its last ", shown, " ops before it are steps 1-", shown,
                        " below; ", result.ops - shown - 1, " earlier ops are not shown)");
      }
      result.report = absl::StrCat(where, "\n",
                                   FormatReport(window.Diverged(s.op, std::move(expected),
                                                                std::move(*s.outcome), result.rule),
                                                options.model, options.source));
      return result;
    }
    window.Add(std::move(s.op), std::move(expected));
  }
  return result;
}

}  // namespace idemcheck::traces
