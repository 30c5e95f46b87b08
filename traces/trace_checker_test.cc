// Checking recorded traces against the reference: consistent histories pass whatever the store's
// ID scheme, and each of the original system's bugs is refused at its line with its rule.

#include "traces/trace_checker.h"

#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/registry.h"
#include "properties/generators.h"
#include "traces/trace_writer.h"

namespace idemcheck::traces {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<TraceCheckResult> Check(const std::string& text, TraceCheckOptions options = {}) {
  std::istringstream in(text);
  return CheckTrace(in, options);
}

constexpr char kHeader[] = R"({"idemcheck_trace": 1, "ids": "raw"})";

std::string Lines(std::initializer_list<absl::string_view> lines) {
  std::string text = std::string(kHeader) + "\n";
  for (absl::string_view line : lines) absl::StrAppend(&text, line, "\n");
  return text;
}

constexpr char kCapsule[] =
    R"({"op": "CreateCapsule", "caller": "alice", "subject": "alice", "outcome": {"code": "Ok", "value": "7f3a"}})";

std::string CreateMemory(absl::string_view capsule, absl::string_view key,
                         absl::string_view returned) {
  return absl::StrCat(R"({"op": "CreateMemory", "caller": "alice", "capsule": ")", capsule,
                      R"(", "payload": {"title": "beach", "content": "jpeg"}, "key": ")", key,
                      R"(", "outcome": {"code": "Ok", "value": ")", returned, R"("}})");
}

// Executes generated operations on a store and records them with the store's own IDs.
std::string Record(const std::string& store_name, absl::string_view profile, size_t ops,
                   const Limits& limits = {}) {
  absl::StatusOr<std::vector<Op>> sample = properties::SampleOps(9, ops, profile, limits);
  absl::StatusOr<std::unique_ptr<Store>> store =
      Registry::Global().Create(store_name, StoreOptions{.limits = limits});
  if (!sample.ok() || !store.ok()) return "";
  Driver driver(**store);
  std::ostringstream out;
  TraceWriter writer = TraceWriter::WithStoreIds(out, limits, store_name, driver.renaming());
  for (const Op& op : *sample) writer.Write(op, driver.Apply(op));
  return out.str();
}

TEST(TraceChecker, E1_a_correct_stores_history_is_consistent_whatever_its_ids) {
  for (const std::string store : {"reference", "impl"}) {
    for (const properties::ProfileInfo& profile : properties::Profiles()) {
      const std::string trace = Record(store, profile.name, 600);
      ASSERT_FALSE(trace.empty());
      absl::StatusOr<TraceCheckResult> result = Check(trace);
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_TRUE(result->ok()) << store << " " << profile.name << "\n" << result->report;
      EXPECT_EQ(result->ops, 600u);
      EXPECT_EQ(result->lines, 601u);
    }
  }
}

TEST(TraceChecker, E1_any_spelling_of_ids_is_renamed_consistently) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      kCapsule,
      CreateMemory("7f3a", "k1", "mem/0x91"),
      CreateMemory("7f3a", "k2", "mem/0x05"),
      CreateMemory("7f3a", "k1", "mem/0x91"),
      R"({"op": "GetMemory", "caller": "alice", "capsule": "7f3a", "memory": "mem/0x05", "outcome": {"code": "Ok", "value": {"title": "beach", "content": "jpeg"}}})",
      R"({"op": "GetMemory", "caller": "alice", "capsule": "7f3a", "memory": "never-issued", "outcome": {"code": "NotFound", "message": "no such memory"}})",
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->ok()) << result->report;
}

// The original system's first bug: random IDs, so a retried keyed create made a second memory.
TEST(TraceChecker, M4_retry_that_gets_a_new_id_is_refused) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      kCapsule,
      CreateMemory("7f3a", "k1", "a1"),
      CreateMemory("7f3a", "k1", "b2"),
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(*result->divergence_line, 4u);
  EXPECT_EQ(result->rule, "M4");
  EXPECT_THAT(result->report,
              HasSubstr("trace, line 4: op 3 returned what the reference does not"));
  EXPECT_THAT(result->report, HasSubstr("rule M4"));
  EXPECT_THAT(result->report, HasSubstr("m1 = CreateMemory(alice, c1, {title \"beach\", content "
                                        "\"jpeg\"}, key \"k1\") -> Ok(m1)"));
  EXPECT_THAT(result->report, HasSubstr("expected (reference): Ok(m1)"));
  EXPECT_THAT(result->report, HasSubstr("actual   (trace):     Ok(m2)"));
}

// The second: the ID was a hash of the key alone, so the same key in two capsules gave one ID.
TEST(TraceChecker, M6_same_key_in_another_capsule_that_gets_the_same_id_is_refused) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      kCapsule,
      R"({"op": "CreateCapsule", "caller": "alice", "subject": "bob", "outcome": {"code": "Ok", "value": "80c1"}})",
      CreateMemory("7f3a", "k1", "h(k1)"),
      CreateMemory("80c1", "k1", "h(k1)"),
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(*result->divergence_line, 5u);
  EXPECT_EQ(result->rule, "M3");
  EXPECT_THAT(result->report, HasSubstr("expected (reference): Ok(m2)"));
  EXPECT_THAT(result->report, HasSubstr("actual   (trace):     Ok(m1)"));
}

// ...and every empty key hashed alike, so creates without a key collapsed into one memory.
TEST(TraceChecker, M2_empty_keys_that_collapse_into_one_memory_are_refused) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      kCapsule,
      CreateMemory("7f3a", "", "h()"),
      CreateMemory("7f3a", "", "h()"),
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->rule, "M2");
}

TEST(TraceChecker, C2_a_capsule_for_the_anonymous_caller_is_refused) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      R"({"op": "CreateCapsule", "caller": "2vxsx-fae", "subject": "alice", "outcome": {"code": "Ok", "value": "c"}})",
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->rule, "C2");
  EXPECT_THAT(result->report, HasSubstr("expected (reference): Unauthorized"));
}

TEST(TraceChecker, E1_an_answer_outside_the_contract_is_refused) {
  absl::StatusOr<TraceCheckResult> result = Check(Lines({
      R"({"op": "AdvanceClock", "seconds": 1, "outcome": {"code": "OutsideContract", "message": "HTTP 500"}})",
  }));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->rule, "E1");
  EXPECT_THAT(result->report, HasSubstr("[HTTP 500]"));
}

// A call the store failed before it took effect changed nothing: the retry on the next line is
// checked as if it were the only call. A store that kept something of the failed call is caught
// at the retry.
TEST(TraceChecker, G5_unavailable_calls_are_not_applied) {
  const std::string failed =
      R"({"op": "CreateMemory", "caller": "alice", "capsule": "7f3a", "payload": {"title": "beach", "content": "jpeg"}, "key": "k1", "outcome": {"code": "Unavailable", "message": "disk full"}})";
  absl::StatusOr<TraceCheckResult> retried =
      Check(Lines({kCapsule, failed, CreateMemory("7f3a", "k1", "m-1")}));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(retried->ok()) << retried->report;

  absl::StatusOr<TraceCheckResult> leaked = Check(Lines({
      kCapsule,
      failed,
      CreateMemory("7f3a", "k1", "m-1"),
      R"({"op": "ListMemories", "caller": "alice", "capsule": "7f3a", "outcome": {"code": "Ok", "value": [{"id": "m-0", "title": "beach", "content": "jpeg"}, {"id": "m-1", "title": "beach", "content": "jpeg"}]}})",
  }));
  ASSERT_TRUE(leaked.ok()) << leaked.status();
  ASSERT_FALSE(leaked->ok());
  EXPECT_EQ(*leaked->divergence_line, 5u);
  EXPECT_EQ(leaked->rule, "R3");
}

// The header's limits are the reference's: with a 10-second retention, a retry 10 seconds later
// is a new key (M8).
TEST(TraceChecker, M8_the_headers_limits_are_the_references) {
  const std::string header =
      R"({"idemcheck_trace": 1, "ids": "raw", "limits": {"retention_seconds": 10}})";
  const std::string text =
      absl::StrCat(header, "\n", kCapsule, "\n", CreateMemory("7f3a", "k1", "m-1"), "\n",
                   R"({"op": "AdvanceClock", "seconds": 10, "outcome": {"code": "Ok"}})", "\n",
                   CreateMemory("7f3a", "k1", "m-2"), "\n");
  absl::StatusOr<TraceCheckResult> result = Check(text);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->ok()) << result->report;

  absl::StatusOr<TraceCheckResult> defaults = Check(Lines({
      kCapsule,
      CreateMemory("7f3a", "k1", "m-1"),
      R"({"op": "AdvanceClock", "seconds": 10, "outcome": {"code": "Ok"}})",
      CreateMemory("7f3a", "k1", "m-2"),
  }));
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_FALSE(defaults->ok());
}

TEST(TraceChecker, ReportsShowOnlyTheLastStepsOfALongTrace) {
  std::vector<std::string> lines = {kCapsule};
  for (int i = 0; i < 100; ++i) lines.push_back(CreateMemory("7f3a", "k1", "m-1"));
  lines.push_back(CreateMemory("7f3a", "k1", "m-2"));
  std::string text = std::string(kHeader) + "\n";
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  absl::StatusOr<TraceCheckResult> result = Check(text, {.context = 5});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(*result->divergence_line, 103u);
  EXPECT_THAT(result->report, HasSubstr("line 103: op 102 returned"));
  EXPECT_THAT(result->report, HasSubstr("96 earlier ops are not shown"));
  EXPECT_THAT(result->report, HasSubstr("   6.       CreateMemory("));
  EXPECT_THAT(result->report, ::testing::Not(HasSubstr("   7. ")));
}

TEST(TraceChecker, ReportsWithoutContextShowTheDivergingStepAlone) {
  absl::StatusOr<TraceCheckResult> result =
      Check(Lines({kCapsule, CreateMemory("7f3a", "k1", "m-1"), CreateMemory("7f3a", "k1", "m-2")}),
            {.context = 0});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->ok());
  EXPECT_THAT(result->report, HasSubstr("op 3 returned what the reference does not (the 2 ops "
                                        "before it are not shown)"));
  EXPECT_THAT(result->report, HasSubstr("   1.       CreateMemory("));
  EXPECT_THAT(result->report, HasSubstr("expected (reference): Ok(m1)"));
}

TEST(TraceChecker, AnotherRegisteredStoreCanBeTheModel) {
  const std::string trace = Record("reference", "mixed", 400);
  absl::StatusOr<TraceCheckResult> result = Check(trace, {.model = "impl"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->ok()) << result->report;

  absl::StatusOr<TraceCheckResult> unknown = Check(trace, {.model = "no-such-store"});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
}

TEST(TraceChecker, MalformedTracesAndTracesWithoutOutcomesAreErrorsNotDivergences) {
  absl::StatusOr<TraceCheckResult> malformed = Check(Lines({kCapsule, "{\"op\": }"}));
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(malformed.status().message()), HasSubstr("line 3, column 8: "));

  absl::StatusOr<TraceCheckResult> unexecuted =
      Check(Lines({R"({"op": "CreateCapsule", "caller": "alice", "subject": "alice"})"}));
  EXPECT_EQ(unexecuted.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unexecuted.status().message()),
              HasSubstr(R"(line 2, column 1: missing member "outcome")"));
}

}  // namespace
}  // namespace idemcheck::traces
