// The mutant gallery against the default property run (checker.h's CheckConfig, the defaults of
// `idemcheck check`): every registered mutant must be killed, with a shrunk counterexample of
// at most 8 operations, and every store meant to be correct must pass the same run. Mutants are
// found in the registry, so a new one is covered the moment it is linked in.
//
// Mutants registered as concurrent_only carry bugs that only overlapping calls trigger; the
// parallel property (parallel_property_test) is the one that must kill those.

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "idemcheck/registry.h"
#include "properties/checker.h"
#include "properties/properties.h"

namespace idemcheck::properties {
namespace {

constexpr size_t kMaxCounterexampleOps = 8;

std::vector<std::string> Stores(bool mutants) {
  std::vector<std::string> names;
  for (const StoreInfo* info : Registry::Global().All()) {
    if ((info->kind == StoreKind::kMutant) != mutants) continue;
    if (mutants && info->concurrent_only) continue;
    names.push_back(info->name);
  }
  return names;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

absl::StatusOr<std::vector<PropertyResult>> DefaultRun(const std::string& store) {
  return CheckAll(DefaultRunOrder(), Subject{.name = store}, CheckConfig{});
}

class Mutant : public ::testing::TestWithParam<std::string> {};

TEST_P(Mutant, default_property_run_kills_it_with_a_short_counterexample) {
  absl::StatusOr<std::vector<PropertyResult>> results = DefaultRun(GetParam());
  ASSERT_TRUE(results.ok()) << results.status();
  const PropertyResult& last = results->back();
  ASSERT_FALSE(last.passed()) << GetParam() << " survived the default property run";
  size_t cases = 0;
  for (const PropertyResult& r : *results) cases += r.cases_run;
  const Counterexample& c = *last.counterexample;
  std::printf(
      "%s: killed by %s %s at case %zu (%zu cases in all); counterexample of %zu ops "
      "(shrunk from %zu)\n%s\n",
      GetParam().c_str(), last.property->id.c_str(), last.property->name.c_str(), last.cases_run,
      cases, c.ops.size(), c.original_ops, c.report.c_str());
  EXPECT_LE(c.ops.size(), kMaxCounterexampleOps) << c.report;
}

INSTANTIATE_TEST_SUITE_P(Gallery, Mutant, ::testing::ValuesIn(Stores(/*mutants=*/true)), TestName);

class CorrectStore : public ::testing::TestWithParam<std::string> {};

TEST_P(CorrectStore, passes_the_default_property_run) {
  absl::StatusOr<std::vector<PropertyResult>> results = DefaultRun(GetParam());
  ASSERT_TRUE(results.ok()) << results.status();
  const PropertyResult& last = results->back();
  EXPECT_TRUE(last.passed()) << last.counterexample->report;
}

INSTANTIATE_TEST_SUITE_P(Stores, CorrectStore, ::testing::ValuesIn(Stores(/*mutants=*/false)),
                         TestName);

// The bug classes the gallery must always cover: a mutant dropped from the build fails here
// rather than silently shrinking what the run above proves.
TEST(Gallery, registers_every_known_bug_class) {
  for (const char* name : {
           "mutant/random-id",                    // (a)
           "mutant/key-hash-id",                  // (b)
           "mutant/empty-key-dedup",              // (c)
           "mutant/payload-ignored",              // (d)
           "mutant/record-dropped-on-delete",     // (e)
           "mutant/caller-shared-key",            // (f)
           "mutant/lookup-before-access",         // (g)
           "mutant/finish-not-retry-safe",        // (h)
           "mutant/upload-keys-lost-on-upgrade",  // (i)
           "mutant/expiry-never-fires",           // (j)
           "mutant/hash32-identity",              // (k)
           "mutant/expiry-off-by-one",
           "mutant/chunk-retry-after-commit",
           "mutant/record-before-commit",
       }) {
    const StoreInfo* info = Registry::Global().Find(name);
    ASSERT_NE(info, nullptr) << name << " is not registered";
    EXPECT_EQ(info->kind, StoreKind::kMutant) << name;
  }
}

}  // namespace
}  // namespace idemcheck::properties
