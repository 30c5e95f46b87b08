// P1-P13 as RapidCheck properties, each checked on every registered store meant to be correct
// (the reference, the implementations and any out-of-tree store). RapidCheck generates and
// shrinks; the checks are the library's (properties.h), so a failure here is a failure of
// `idemcheck check` too. RC_PARAMS (e.g. max_success=300, seed=...) controls the runs.

#include "properties/properties.h"

#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"
#include "properties/generators.h"
#include "rapidcheck/gtest.h"

namespace idemcheck::properties {
namespace {

constexpr size_t kMaxOps = 60;

std::vector<Subject> CorrectStores() {
  std::vector<Subject> subjects;
  for (const StoreInfo* info : Registry::Global().All()) {
    if (info->kind != StoreKind::kMutant) subjects.push_back(Subject{.name = info->name});
  }
  return subjects;
}

// Draws one sequence from one of the property's profiles and checks it on every correct store.
void HoldsOnEveryStore(absl::string_view id) {
  const Property* property = FindProperty(id);
  RC_ASSERT(property != nullptr);
  const std::string profile = *rc::gen::elementOf(property->profiles);
  absl::StatusOr<rc::Gen<std::vector<Op>>> gen = GenOps(profile, kMaxOps);
  RC_ASSERT(gen.ok());
  const std::vector<Op> ops = *(*gen);
  for (const Subject& subject : CorrectStores()) {
    if (!property->applies(subject)) continue;
    if (std::optional<std::string> report = property->check(subject, ops)) RC_FAIL(*report);
  }
}

RC_GTEST_PROP(Properties, P1_replay_storm, ()) { HoldsOnEveryStore("P1"); }
RC_GTEST_PROP(Properties, P2_single_insertion, ()) { HoldsOnEveryStore("P2"); }
RC_GTEST_PROP(Properties, P3_empty_key_never_deduplicates, ()) { HoldsOnEveryStore("P3"); }
RC_GTEST_PROP(Properties, P4_scope_isolation, ()) { HoldsOnEveryStore("P4"); }
RC_GTEST_PROP(Properties, P5_payload_mismatch_is_conflict, ()) { HoldsOnEveryStore("P5"); }
RC_GTEST_PROP(Properties, P6_no_resurrection_after_delete, ()) { HoldsOnEveryStore("P6"); }
RC_GTEST_PROP(Properties, P7_expiry_exactly_at_the_boundary, ()) { HoldsOnEveryStore("P7"); }
RC_GTEST_PROP(Properties, P8_upgrade_anywhere_changes_nothing, ()) { HoldsOnEveryStore("P8"); }
RC_GTEST_PROP(Properties, P9_ids_never_reused, ()) { HoldsOnEveryStore("P9"); }
RC_GTEST_PROP(Properties, P10_unauthorized_learns_nothing, ()) { HoldsOnEveryStore("P10"); }
RC_GTEST_PROP(Properties, P11_weak_lookup_hash, ()) { HoldsOnEveryStore("P11"); }
RC_GTEST_PROP(Properties, P12_failed_operation_is_atomic, ()) { HoldsOnEveryStore("P12"); }
RC_GTEST_PROP(Properties, P13_differential_equivalence_E1, ()) { HoldsOnEveryStore("P13"); }

}  // namespace
}  // namespace idemcheck::properties
