// The parallel property on every thread-safe store that is meant to be correct, and on the race
// mutant, which it must kill.

#include "properties/parallel_property.h"

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "idemcheck/printer.h"
#include "idemcheck/registry.h"

namespace idemcheck::properties {
namespace {

std::vector<std::string> ThreadSafeCorrectStores() {
  std::vector<std::string> names;
  for (const StoreInfo* info : Registry::Global().All()) {
    if (info->thread_safe && info->kind != StoreKind::kMutant) names.push_back(info->name);
  }
  return names;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

class ParallelProperty : public ::testing::TestWithParam<std::string> {};

TEST_P(ParallelProperty, every_concurrent_run_is_linearizable) {
  absl::StatusOr<ParallelReport> report = CheckParallel({.impl = GetParam()});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->passed) << report->text;
  EXPECT_EQ(report->inconclusive, 0u);
  std::printf("%s: %zu cases, %zu runs, checker %.1f us and %.1f nodes per run\n",
              GetParam().c_str(), report->cases, report->runs,
              report->check_nanos / 1e3 / report->runs,
              static_cast<double>(report->nodes) / report->runs);
}

INSTANTIATE_TEST_SUITE_P(Stores, ParallelProperty, ::testing::ValuesIn(ThreadSafeCorrectStores()),
                         TestName);

TEST(ParallelPropertyMutant, M4_kills_race_check_then_insert_and_shrinks_the_race) {
  absl::StatusOr<ParallelReport> report = CheckParallel({.impl = "mutant/race-check-then-insert"});
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->passed) << "the race survived " << report->runs << " runs";
  ASSERT_TRUE(report->counterexample.has_value());
  // Shrinking leaves the prefix's capsule and two branches with one contended create each: the
  // race needs nothing more.
  size_t ops = report->counterexample->prefix.size();
  for (const auto& branch : report->counterexample->branches) ops += branch.size();
  EXPECT_LE(ops, 3u) << report->text;
  EXPECT_NE(report->text.find("thread 2"), std::string::npos) << report->text;
  EXPECT_NE(report->text.find("the model says"), std::string::npos) << report->text;
  std::printf("%s\n", report->text.c_str());
}

TEST(ParallelPropertyOptions, refuses_a_store_that_is_not_thread_safe) {
  absl::StatusOr<ParallelReport> report = CheckParallel({.impl = "reference"});
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckParallel({.impl = "no-such-store"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParallelPropertyOptions, a_case_is_a_function_of_seed_and_index) {
  const concurrency::ParallelCase a = GenerateParallelCase(7, 3, 5);
  const concurrency::ParallelCase b = GenerateParallelCase(7, 3, 5);
  ASSERT_EQ(a.branches.size(), b.branches.size());
  EXPECT_EQ(FormatSequence(a.prefix, {}), FormatSequence(b.prefix, {}));
  for (size_t i = 0; i < a.branches.size(); ++i) {
    EXPECT_EQ(FormatSequence(a.branches[i], {}), FormatSequence(b.branches[i], {}));
    EXPECT_LE(a.branches[i].size(), 5u);
  }
  EXPECT_GE(a.branches.size(), 2u);
  EXPECT_LE(a.branches.size(), 3u);
}

}  // namespace
}  // namespace idemcheck::properties
