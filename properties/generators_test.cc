// The generators: deterministic sampling, every operation reachable, values from the shared pools,
// profiles that keep to their operations, and sequences that exercise the contract on the
// reference (a fair share of operations succeed, uploads complete).

#include "properties/generators.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "idemcheck/registry.h"

namespace idemcheck::properties {
namespace {

std::vector<Op> Sample(uint64_t seed, size_t count, absl::string_view profile) {
  absl::StatusOr<std::vector<Op>> ops = SampleOps(seed, count, profile);
  EXPECT_TRUE(ops.ok()) << ops.status();
  return ops.ok() ? *ops : std::vector<Op>{};
}

std::set<std::string> OpNames(absl::string_view profile, int seeds, size_t count) {
  std::set<std::string> names;
  for (int seed = 1; seed <= seeds; ++seed) {
    for (const Op& op : Sample(seed, count, profile)) names.insert(std::string(OpName(op)));
  }
  return names;
}

TEST(SampleOps, same_seed_same_sequence_and_exact_count) {
  for (const ProfileInfo& profile : Profiles()) {
    const std::vector<Op> a = Sample(42, 50, profile.name);
    const std::vector<Op> b = Sample(42, 50, profile.name);
    ASSERT_EQ(a.size(), 50u) << profile.name;
    EXPECT_EQ(FormatSequence(a, {}), FormatSequence(b, {})) << profile.name;
    EXPECT_NE(FormatSequence(a, {}), FormatSequence(Sample(43, 50, profile.name), {}))
        << profile.name;
  }
  EXPECT_TRUE(Sample(7, 0, "mixed").empty());
}

TEST(SampleOps, unknown_profile_is_invalid_argument_naming_the_profiles) {
  absl::StatusOr<std::vector<Op>> ops = SampleOps(1, 10, "nonsense");
  ASSERT_FALSE(ops.ok());
  EXPECT_EQ(ops.status().code(), absl::StatusCode::kInvalidArgument);
  for (const ProfileInfo& profile : Profiles()) {
    EXPECT_NE(ops.status().message().find(profile.name), absl::string_view::npos);
  }
  EXPECT_FALSE(GenOps("nonsense", 10).ok());
}

TEST(SampleOps, mixed_reaches_every_operation) {
  const std::set<std::string> names = OpNames("mixed", 20, 200);
  EXPECT_EQ(names.size(), std::variant_size_v<Op>) << "only " << names.size() << " kinds";
}

TEST(SampleOps, profiles_keep_to_their_operations) {
  const std::set<std::string> named = OpNames("named", 20, 100);
  const std::set<std::string> memories = OpNames("memories", 20, 100);
  for (const char* name : {"CreateMemory", "BeginUpload", "PutChunk", "FinishUpload"}) {
    EXPECT_FALSE(named.contains(name)) << name;
  }
  for (const char* name : {"CreateGallery", "CreateFolder", "BeginUpload", "PutChunk"}) {
    EXPECT_FALSE(memories.contains(name)) << name;
  }
  EXPECT_TRUE(named.contains("CreateFolder"));
  EXPECT_TRUE(memories.contains("CreateMemory"));
}

TEST(SampleOps, values_come_from_the_shared_pools) {
  const std::vector<std::string>& principals = pools::Principals();
  const std::vector<std::string>& keys = pools::Keys();
  const auto in = [](const std::vector<std::string>& pool, const std::string& value) {
    return std::find(pool.begin(), pool.end(), value) != pool.end();
  };
  for (const ProfileInfo& profile : Profiles()) {
    for (const Op& op : Sample(5, 300, profile.name)) {
      std::visit(
          [&](const auto& o) {
            if constexpr (requires { o.caller; }) {
              EXPECT_TRUE(in(principals, o.caller)) << ToString(op);
            }
            if constexpr (requires { o.key; }) {
              EXPECT_TRUE(in(keys, o.key)) << ToString(op);
            }
          },
          op);
    }
  }
}

// On the reference, sequences of every profile reach the situations the properties are about.
TEST(SampleOps, sequences_exercise_the_contract_on_the_reference) {
  for (const ProfileInfo& profile : Profiles()) {
    size_t ok = 0;
    size_t total = 0;
    for (int seed = 1; seed <= 20; ++seed) {
      const std::vector<Op> ops = Sample(seed, 60, profile.name);
      absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create("reference");
      ASSERT_TRUE(store.ok());
      Driver driver(**store);
      for (const Op& op : ops) {
        ok += driver.Apply(op).ok();
        ++total;
      }
    }
    EXPECT_GT(ok * 4, total) << profile.name << ": only " << ok << " of " << total << " succeed";
  }
}

TEST(SampleOps, uploads_complete) {
  size_t blobs = 0;
  for (int seed = 1; seed <= 20; ++seed) {
    absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create("reference");
    ASSERT_TRUE(store.ok());
    Driver driver(**store);
    for (const Op& op : Sample(seed, 60, "uploads")) {
      const Outcome outcome = driver.Apply(op);
      blobs += std::holds_alternative<op::FinishUpload>(op) && outcome.ok();
    }
  }
  EXPECT_GE(blobs, 40u) << "uploads rarely finish: the upload steps lost their session";
}

}  // namespace
}  // namespace idemcheck::properties
