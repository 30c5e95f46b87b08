#include "properties/properties.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/driver.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/printer.h"
#include "idemcheck/runner.h"
#include "properties/trace.h"
#include "properties/trace_checks.h"

namespace idemcheck::properties {
namespace {

// The owner of the one capsule of P10's probe store: a principal no generator uses.
constexpr char kProbeOwner[] = "probe-owner";

// How many internal steps of one operation P12 fails in turn; more than any operation takes.
constexpr uint64_t kMaxFaultSteps = 64;

using TraceCheck = std::optional<Finding> (*)(const Trace&, const Limits&);

absl::StatusOr<std::unique_ptr<Store>> Make(const Subject& subject) {
  return Registry::Global().Create(subject.name, subject.options);
}

std::string Header(absl::string_view id, const Subject& subject) {
  const Property* p = FindProperty(id);
  return absl::StrCat(id, " ", p->name, " fails on ", subject.name, ": ", p->summary, "\n");
}

std::string CannotCreate(absl::string_view id, const Subject& subject, const absl::Status& status) {
  return absl::StrCat(Header(id, subject), "  cannot create the store: ", status.ToString(), "\n");
}

// A finding in a recorded run: the numbered steps up to it with their outcomes, then why.
std::string Report(absl::string_view id, const Subject& subject, std::span<const Op> ops,
                   std::span<const Outcome> outcomes, const Finding& finding) {
  const size_t n = finding.step + 1;
  return absl::StrCat(Header(id, subject), "step ", n, ", rule ", finding.rule, ":\n",
                      FormatSequence(ops.first(n), outcomes.first(std::min(n, outcomes.size()))),
                      "  ", finding.what, "\n");
}

std::optional<std::string> RunTraceCheck(absl::string_view id, TraceCheck check,
                                         const Subject& subject, std::span<const Op> ops) {
  absl::StatusOr<std::unique_ptr<Store>> store = Make(subject);
  if (!store.ok()) return CannotCreate(id, subject, store.status());
  const Trace trace = Record(**store, ops);
  std::optional<Finding> finding = check(trace, subject.options.limits);
  if (!finding) return std::nullopt;
  return Report(id, subject, trace.ops, trace.outcomes, *finding);
}

template <TraceCheck kCheck>
std::optional<std::string> TraceProperty(absl::string_view id, const Subject& subject,
                                         std::span<const Op> ops) {
  return RunTraceCheck(id, kCheck, subject, ops);
}

// ---- P8 ------------------------------------------------------------------------------------

std::optional<std::string> CheckUpgradeAnywhere(const Subject& subject, std::span<const Op> ops) {
  absl::StatusOr<std::unique_ptr<Store>> upgraded = Make(subject);
  if (!upgraded.ok()) return CannotCreate("P8", subject, upgraded.status());
  absl::StatusOr<std::unique_ptr<Store>> plain = Make(subject);
  if (!plain.ok()) return CannotCreate("P8", subject, plain.status());
  Driver actual(**upgraded);
  Driver expected(**plain);
  RunResult result;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    const bool upgrade = std::holds_alternative<op::Upgrade>(op);
    // Without upgrades, an Upgrade step is a no-op that succeeds.
    Outcome e = upgrade ? Outcome{} : expected.Apply(op);
    Outcome a = actual.Apply(op);
    result.ops.push_back(op);
    result.outcomes.push_back(e);
    if (e != a) {
      result.divergence = Divergence{.step = i, .expected = std::move(e), .actual = std::move(a)};
    } else if (State es = expected.Observe(), as = actual.Observe(); es != as) {
      result.divergence = Divergence{.step = i,
                                     .in_state = true,
                                     .expected = std::move(e),
                                     .actual = std::move(a),
                                     .expected_state = std::move(es),
                                     .actual_state = std::move(as)};
    }
    if (result.divergence) {
      result.divergence->rule = "T2";
      return absl::StrCat(
          Header("P8", subject),
          FormatReport(result, absl::StrCat(subject.name, " without Upgrade"), subject.name));
    }
  }
  return std::nullopt;
}

// ---- P10 -----------------------------------------------------------------------------------

// P10 on a recorded run of `subject`.
std::optional<std::string> CheckUnauthorizedOn(const Subject& subject, const Trace& trace) {
  std::optional<std::string> probe_error;
  const Probe probe = [&](const Op& op) -> Outcome {
    absl::StatusOr<std::unique_ptr<Store>> fresh = Make(subject);
    if (!fresh.ok()) {
      probe_error = CannotCreate("P10", subject, fresh.status());
      return Outcome{.code = Code::kOutsideContract};
    }
    Driver driver(**fresh);
    const Outcome capsule = driver.Apply(op::CreateCapsule{kProbeOwner, kProbeOwner});
    Op probed = op;
    std::visit(
        [&](auto& o) {
          if constexpr (requires { o.capsule; }) o.capsule = std::get<CapsuleRef>(capsule.value);
        },
        probed);
    return driver.Apply(probed);
  };
  std::optional<Finding> finding = CheckUnauthorized(trace, subject.options.limits, probe);
  if (probe_error) return probe_error;
  if (!finding) return std::nullopt;
  return Report("P10", subject, trace.ops, trace.outcomes, *finding);
}

std::optional<std::string> CheckUnauthorizedCaller(const Subject& subject,
                                                   std::span<const Op> ops) {
  absl::StatusOr<std::unique_ptr<Store>> store = Make(subject);
  if (!store.ok()) return CannotCreate("P10", subject, store.status());
  return CheckUnauthorizedOn(subject, Record(**store, ops));
}

// ---- P12 -----------------------------------------------------------------------------------

bool IsFaultInjectable(const Subject& subject) {
  absl::StatusOr<std::unique_ptr<Store>> store = Make(subject);
  return store.ok() && dynamic_cast<FaultInjectable*>(store->get()) != nullptr;
}

std::optional<std::string> CheckAtomicity(const Subject& subject, std::span<const Op> ops) {
  absl::StatusOr<std::unique_ptr<Store>> faulted = Make(subject);
  if (!faulted.ok()) return CannotCreate("P12", subject, faulted.status());
  absl::StatusOr<std::unique_ptr<Store>> plain = Make(subject);
  if (!plain.ok()) return CannotCreate("P12", subject, plain.status());
  auto* faults = dynamic_cast<FaultInjectable*>(faulted->get());
  if (faults == nullptr) return std::nullopt;
  Driver actual(**faulted);
  Driver expected(**plain);
  RunResult result;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    result.ops.push_back(op);
    const State before = actual.Observe();
    // Fail the op at each of its internal steps in turn; the first step it does not reach
    // lets it run to completion.
    std::optional<Outcome> completed;
    for (uint64_t step = 0; step < kMaxFaultSteps && !completed; ++step) {
      faults->ArmFault(step);
      Outcome a = actual.Apply(op);
      if (!faults->FaultFired()) {
        completed = std::move(a);
        break;
      }
      std::string broken;
      if (a.code != Code::kOutsideContract) {
        broken = absl::StrCat("returned ", ToString(a), " instead of the injected failure");
      } else if (actual.Observe() != before) {
        broken = absl::StrCat("failed as injected but changed the state:\n", ToString(before),
                              "  became\n", ToString(actual.Observe()));
      }
      if (!broken.empty()) {
        std::vector<Outcome> outcomes = result.outcomes;
        outcomes.push_back(std::move(a));
        return Report("P12", subject, result.ops, outcomes,
                      Finding{i, "G5",
                              absl::StrCat("with a fault injected at internal step ", step,
                                           ", the operation ", broken)});
      }
    }
    if (!completed) completed = actual.Apply(op);
    Outcome e = expected.Apply(op);
    result.outcomes.push_back(e);
    if (e != *completed) {
      result.divergence = Divergence{.step = i, .expected = std::move(e), .actual = *completed};
    } else if (State es = expected.Observe(), as = actual.Observe(); es != as) {
      result.divergence = Divergence{.step = i,
                                     .in_state = true,
                                     .expected = std::move(e),
                                     .actual = *completed,
                                     .expected_state = std::move(es),
                                     .actual_state = std::move(as)};
    }
    if (result.divergence) {
      result.divergence->rule = "G5";
      return absl::StrCat(Header("P12", subject),
                          FormatReport(result, absl::StrCat(subject.name, " without faults"),
                                       absl::StrCat(subject.name, " after failed attempts")));
    }
  }
  return std::nullopt;
}

// ---- P13 -----------------------------------------------------------------------------------

std::optional<std::string> CheckDifferential(const Subject& subject, std::span<const Op> ops) {
  absl::StatusOr<std::unique_ptr<Store>> actual = Make(subject);
  if (!actual.ok()) return CannotCreate("P13", subject, actual.status());
  absl::StatusOr<std::unique_ptr<Store>> reference =
      Registry::Global().Create("reference", StoreOptions{.limits = subject.options.limits});
  if (!reference.ok()) return CannotCreate("P13", subject, reference.status());
  RunResult result = RunDifferential(ops, **reference, **actual);
  if (result.ok()) return std::nullopt;
  return absl::StrCat(Header("P13", subject), FormatReport(result, "reference", subject.name));
}

// ---- P11 -----------------------------------------------------------------------------------

// The properties that are predicates over one recorded run.
struct TraceCheckOf {
  const char* id;
  TraceCheck check;
};
constexpr TraceCheckOf kTraceChecks[] = {
    {"P1", CheckReplayStorm},    {"P2", CheckSingleInsertion}, {"P3", CheckEmptyKey},
    {"P4", CheckScopeIsolation}, {"P5", CheckPayloadMismatch}, {"P6", CheckNoResurrection},
    {"P7", CheckExpiryBoundary}, {"P9", CheckIdsNeverReused},
};

// Every other property on the weak-hash store. The run-based ones share one recorded run.
std::optional<std::string> CheckWeakHash(const Subject& subject, std::span<const Op> ops) {
  Subject weak = subject;
  weak.options.lookup_hash = &WeakLookupHash;
  const auto weakened = [&](const std::string& report) {
    return absl::StrCat(Header("P11", subject), "with the 4-bit lookup hash, ", report);
  };
  absl::StatusOr<std::unique_ptr<Store>> store = Make(weak);
  if (!store.ok()) return CannotCreate("P11", subject, store.status());
  const Trace trace = Record(**store, ops);
  for (const TraceCheckOf& c : kTraceChecks) {
    if (std::optional<Finding> finding = c.check(trace, weak.options.limits)) {
      return weakened(Report(c.id, weak, trace.ops, trace.outcomes, *finding));
    }
  }
  if (std::optional<std::string> report = CheckUnauthorizedOn(weak, trace)) {
    return weakened(*report);
  }
  for (const char* id : {"P8", "P12", "P13"}) {
    const Property& p = *FindProperty(id);
    if (!p.applies(weak)) continue;
    if (std::optional<std::string> report = p.check(weak, ops)) return weakened(*report);
  }
  return std::nullopt;
}

bool Always(const Subject&) { return true; }

}  // namespace

uint64_t WeakLookupHash(absl::string_view bytes) { return Fnv1a64(bytes) >> 60; }

const std::vector<Property>& AllProperties() {
  static const auto* properties = new std::vector<Property>{
      {"P1",
       "replay_storm",
       "a replayed create returns what it returned before and inserts nothing",
       {"replay", "uploads"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckReplayStorm>("P1", s, ops);
       },
       Always},
      {"P2",
       "single_insertion",
       "live memories = distinct live keys + empty-key creates - deletes",
       {"memories", "clock"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckSingleInsertion>("P2", s, ops);
       },
       Always},
      {"P3",
       "empty_key",
       "the empty key never deduplicates",
       {"memories", "uploads"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckEmptyKey>("P3", s, ops);
       },
       Always},
      {"P4",
       "scope_isolation",
       "a key of one (capsule, caller) never yields another scope's ID",
       {"access", "mixed"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckScopeIsolation>("P4", s, ops);
       },
       Always},
      {"P5",
       "payload_mismatch",
       "a live key or ID with another payload is rejected and changes nothing",
       {"mixed", "named", "uploads"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckPayloadMismatch>("P5", s, ops);
       },
       Always},
      {"P6",
       "no_resurrection",
       "a deleted entity never reappears and a retry returns its old ID",
       {"memories", "named"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckNoResurrection>("P6", s, ops);
       },
       Always},
      {"P7",
       "expiry_boundary",
       "records, sessions and tombstones expire exactly at the end of their window",
       {"clock", "uploads"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckExpiryBoundary>("P7", s, ops);
       },
       Always},
      {"P8",
       "upgrade_anywhere",
       "the sequence with and without its Upgrades gives the same results",
       {"upgrade", "uploads"},
       CheckUpgradeAnywhere,
       Always},
      {"P9",
       "ids_never_reused",
       "a store-chosen ID returned again is a legitimate replay",
       {"mixed", "clock", "upgrade"},
       [](const Subject& s, std::span<const Op> ops) {
         return TraceProperty<CheckIdsNeverReused>("P9", s, ops);
       },
       Always},
      {"P10",
       "unauthorized",
       "an unauthorized caller's outcome does not depend on what is stored, and changes nothing",
       {"access"},
       CheckUnauthorizedCaller,
       Always},
      {"P11",
       "weak_hash",
       "every other property holds with a 4-bit lookup hash",
       {"mixed", "replay"},
       CheckWeakHash,
       Always},
      {"P12",
       "atomicity",
       "an operation failed by an injected fault changes nothing",
       {"mixed", "uploads"},
       CheckAtomicity,
       IsFaultInjectable},
      {"P13",
       "differential",
       "E1 equivalence with the reference on random interleavings",
       {"mixed", "memories", "named", "uploads", "access", "clock", "upgrade", "replay"},
       CheckDifferential,
       Always},
  };
  return *properties;
}

std::vector<const Property*> DefaultRunOrder() {
  std::vector<const Property*> order;
  for (const Property& p : AllProperties()) {
    if (p.id != "P11") order.push_back(&p);
  }
  order.push_back(FindProperty("P11"));
  return order;
}

const Property* FindProperty(absl::string_view id_or_name) {
  for (const Property& p : AllProperties()) {
    if (absl::EqualsIgnoreCase(p.id, id_or_name) || p.name == id_or_name) return &p;
  }
  return nullptr;
}

}  // namespace idemcheck::properties
