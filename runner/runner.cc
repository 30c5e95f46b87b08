#include "idemcheck/runner.h"

#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "idemcheck/driver.h"
#include "idemcheck/printer.h"

namespace idemcheck {
namespace {

struct RuleLine {
  absl::string_view id;
  absl::string_view summary;
};

// One line per rule of SEMANTICS.md, for reports.
constexpr RuleLine kRules[] = {
    {"G1", "arguments are validated first: InvalidArgument"},
    {"G2", "an unknown capsule is NotFound"},
    {"G3", "a caller without access is Unauthorized and learns nothing more"},
    {"G5", "a call that returns an error changes nothing observable"},
    {"A1", "owners and controllers have access, nobody else"},
    {"A2", "only owners grant and revoke; the last owner cannot be revoked"},
    {"C1", "CreateCapsule is idempotent on (caller, subject): the oldest such capsule"},
    {"C2", "the anonymous caller is Unauthorized; a bad or anonymous subject is InvalidArgument"},
    {"M2", "an empty key always creates a new memory"},
    {"M3", "a new key (or another scope, or an expired record) creates a new memory"},
    {"M4", "a live record with the same payload returns the recorded ID, inserting nothing"},
    {"M5", "a live record with a different payload is Conflict and changes nothing"},
    {"M7", "the record outlives the memory: a retry after delete does not resurrect it"},
    {"F2", "a free gallery or folder ID creates the entity"},
    {"F3", "a live ID: same capsule and payload replays, anything else is Conflict"},
    {"F4", "a tombstone keeps the ID for the retention window"},
    {"F5", "a folder's parent must be a live folder in the same capsule"},
    {"U1", "BeginUpload is idempotent on (capsule, caller, key) and expected chunks"},
    {"U2", "at most the limit of pending sessions per (capsule, caller)"},
    {"U3", "PutChunk: session, caller, index checks; exact repeats succeed"},
    {"U4", "FinishUpload checks length and digest; a committed session replays its blob"},
    {"U5", "AbortUpload releases a pending session; a committed one is Conflict"},
    {"R1", "reads see live entities of the named capsule only"},
    {"R2", "deletes act in the named capsule only; a second delete is NotFound"},
    {"R3", "listings hold every live entity in creation order"},
    {"T1", "AdvanceClock takes 0..max seconds"},
    {"T2", "Upgrade changes nothing observable"},
    {"E1", "outcomes and observable state agree under one renaming of store-chosen IDs"},
};

bool Either(const Outcome& a, const Outcome& b, Code code) {
  return a.code == code || b.code == code;
}

// The ordinal of the store-chosen ID an outcome returned, or 0.
uint32_t RefOrdinal(const Outcome& outcome) {
  return std::visit(
      [](const auto& v) -> uint32_t {
        if constexpr (requires { v.n; }) {
          return v.n;
        } else {
          return 0;
        }
      },
      outcome.value);
}

// The rule for an error that the checks common to every mutating operation decide (G1-G3).
absl::string_view CommonCheckRule(const Outcome& e, const Outcome& a) {
  if (Either(e, a, Code::kInvalidArgument)) return "G1";
  if (Either(e, a, Code::kNotFound)) return "G2";
  if (Either(e, a, Code::kUnauthorized)) return "G3";
  return "";
}

struct RuleOf {
  const Outcome& e;
  const Outcome& a;

  absl::string_view Common(absl::string_view otherwise) const {
    absl::string_view common = CommonCheckRule(e, a);
    return common.empty() ? otherwise : common;
  }
  absl::string_view operator()(const op::CreateCapsule&) const {
    return Either(e, a, Code::kOk) && e.code != a.code ? "C2" : "C1";
  }
  absl::string_view operator()(const op::Grant&) const { return "A2"; }
  absl::string_view operator()(const op::Revoke&) const { return "A2"; }
  absl::string_view operator()(const op::CreateMemory& o) const {
    if (Either(e, a, Code::kConflict)) return "M5";
    if (e.ok() && a.ok()) {
      if (o.key.empty()) return "M2";
      return RefOrdinal(e) < RefOrdinal(a) ? "M4" : "M3";
    }
    return Common("M1");
  }
  // Two stores that agree a capsule exists disagree on NotFound about the entity, so R1/R2
  // decide such a step rather than G2.
  absl::string_view Entity(absl::string_view rule) const {
    return Either(e, a, Code::kNotFound) ? rule : Common(rule);
  }
  absl::string_view operator()(const op::GetMemory&) const { return Entity("R1"); }
  absl::string_view operator()(const op::GetGallery&) const { return Entity("R1"); }
  absl::string_view operator()(const op::GetFolder&) const { return Entity("R1"); }
  absl::string_view operator()(const op::DeleteMemory&) const { return Entity("R2"); }
  absl::string_view operator()(const op::DeleteGallery&) const { return Entity("R2"); }
  absl::string_view operator()(const op::DeleteFolder&) const { return Entity("R2"); }
  absl::string_view operator()(const op::ListMemories&) const { return Common("R3"); }
  absl::string_view operator()(const op::ListGalleries&) const { return Common("R3"); }
  absl::string_view operator()(const op::ListFolders&) const { return Common("R3"); }
  absl::string_view operator()(const op::CreateGallery&) const {
    return Either(e, a, Code::kConflict) ? "F3" : Common("F2");
  }
  absl::string_view operator()(const op::CreateFolder&) const {
    if (Either(e, a, Code::kConflict)) return "F3";
    if (Either(e, a, Code::kInvalidArgument) && e.code != Code::kNotFound &&
        a.code != Code::kNotFound) {
      return "F5";
    }
    return Common("F2");
  }
  absl::string_view operator()(const op::BeginUpload&) const {
    return Either(e, a, Code::kResourceExhausted) ? "U2" : Common("U1");
  }
  absl::string_view operator()(const op::PutChunk&) const { return "U3"; }
  absl::string_view operator()(const op::FinishUpload&) const { return "U4"; }
  absl::string_view operator()(const op::AbortUpload&) const { return "U5"; }
  absl::string_view operator()(const op::AdvanceClock&) const { return "T1"; }
  absl::string_view operator()(const op::Upgrade&) const { return "T2"; }
};

absl::string_view RuleSummary(absl::string_view id) {
  for (const RuleLine& rule : kRules) {
    if (rule.id == id) return rule.summary;
  }
  return "";
}

}  // namespace

std::string RuleFor(const Op& op, const Outcome& expected, const Outcome& actual) {
  if (actual.code == Code::kOutsideContract) return "E1";
  return std::string(std::visit(RuleOf{expected, actual}, op));
}

RunResult RunDifferential(std::span<const Op> ops, Store& expected, Store& actual,
                          const RunOptions& options) {
  Driver want(expected);
  Driver got(actual);
  RunResult result;
  result.ops.reserve(ops.size());
  result.outcomes.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    Outcome e = want.Apply(op);
    Outcome a = got.Apply(op);
    result.ops.push_back(op);
    result.outcomes.push_back(e);
    if (e != a) {
      std::string rule = RuleFor(op, e, a);
      result.divergence = Divergence{
          .step = i, .expected = std::move(e), .actual = std::move(a), .rule = std::move(rule)};
      return result;
    }
    if (options.compare_state_every_step || i + 1 == ops.size()) {
      State es = want.Observe();
      State as = got.Observe();
      if (es != as) {
        // An op that succeeded but changed the wrong things; G5 when it should have failed.
        std::string rule = e.ok() ? RuleFor(op, e, a) : "G5";
        result.divergence = Divergence{.step = i,
                                       .in_state = true,
                                       .expected = std::move(e),
                                       .actual = std::move(a),
                                       .expected_state = std::move(es),
                                       .actual_state = std::move(as),
                                       .rule = std::move(rule)};
        return result;
      }
    }
  }
  return result;
}

std::string FormatReport(const RunResult& result, absl::string_view expected_name,
                         absl::string_view actual_name) {
  if (result.ok()) {
    return absl::StrCat(expected_name, " and ", actual_name, " agree on all ", result.ops.size(),
                        " steps\n");
  }
  const Divergence& d = *result.divergence;
  std::string out = absl::StrCat(actual_name, " diverges from ", expected_name, " at step ",
                                 d.step + 1, ", rule ", d.rule, ": ", RuleSummary(d.rule), "\n");
  // The diverging step prints without an outcome; both sides' outcomes follow.
  std::span<const Outcome> before(result.outcomes.data(), d.step);
  out += FormatSequence(result.ops, before);
  const size_t width = std::max(expected_name.size(), actual_name.size());
  if (d.in_state) {
    absl::StrAppend(&out, "  both returned ", ToString(d.expected),
                    " but the observable state differs.\n  ", expected_name, " state:\n",
                    ToString(d.expected_state), "  ", actual_name, " state:\n",
                    ToString(d.actual_state));
  } else {
    absl::StrAppend(&out, "  expected (", expected_name,
                    "): ", std::string(width - expected_name.size(), ' '), ToString(d.expected),
                    "\n", "  actual   (", actual_name,
                    "): ", std::string(width - actual_name.size(), ' '), ToString(d.actual));
    if (!d.actual.message.empty()) absl::StrAppend(&out, "  [", d.actual.message, "]");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace idemcheck
