// The fuzz input format (decoder.h): every byte string decodes, records are independent, the
// encoder is the exact inverse on pool values, and every seed is encodable.

#include "fuzz/decoder.h"

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "fuzz/seeds.h"
#include "gtest/gtest.h"
#include "idemcheck/ops.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "idemcheck/registry.h"
#include "idemcheck/runner.h"

namespace idemcheck::fuzz {
namespace {

std::vector<std::string> Printed(const std::vector<Op>& ops) {
  std::vector<std::string> out;
  for (const Op& op : ops) out.push_back(ToString(op));
  return out;
}

std::string RandomBytes(std::mt19937& rng, size_t size) {
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
  return bytes;
}

// Random records that are all operations, no fault markers.
std::string RandomOps(std::mt19937& rng, size_t records) {
  std::string bytes = RandomBytes(rng, 1 + records * kRecordBytes);
  for (size_t i = 1; i < bytes.size(); i += kRecordBytes) {
    bytes[i] = static_cast<char>(rng() % kFaultMarker);
  }
  return bytes;
}

// The number of operation records among the first kMaxRecords whole records.
size_t OpRecords(const std::string& bytes) {
  size_t ops = 0;
  for (size_t i = 1; i + kRecordBytes <= bytes.size() && i < kMaxInputBytes; i += kRecordBytes) {
    ops += static_cast<uint8_t>(bytes[i]) < kFaultMarker ? 1 : 0;
  }
  return ops;
}

TEST(Decoder, empty_input_is_default_setup_and_no_ops) {
  const FuzzInput input = Decode("");
  EXPECT_EQ(input.setup, StoreSetup{});
  EXPECT_TRUE(input.ops.empty());
}

TEST(Decoder, setup_byte_selects_weak_hash_and_pending_limit) {
  for (uint32_t bits = 0; bits < 256; ++bits) {
    const StoreSetup setup = Decode(std::string(1, static_cast<char>(bits))).setup;
    EXPECT_EQ(setup.weak_lookup_hash, (bits & 1) != 0);
    EXPECT_EQ(setup.max_pending_sessions, kPendingLimits[(bits >> 1) & 3]);
    const StoreOptions options = setup.Options();
    EXPECT_EQ(options.lookup_hash != nullptr, setup.weak_lookup_hash);
    EXPECT_EQ(options.limits.max_pending_sessions, setup.max_pending_sessions);
  }
}

TEST(Decoder, M9_the_weak_lookup_hash_makes_pool_keys_collide) {
  int collisions = 0;
  const std::vector<std::string>& keys = pools::Keys();
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) {
      if (IsValidIdemKey(keys[i]) && IsValidIdemKey(keys[j]) && !keys[i].empty() &&
          !keys[j].empty() && WeakLookupHash(keys[i]) == WeakLookupHash(keys[j])) {
        ++collisions;
      }
    }
  }
  EXPECT_GE(collisions, 2);
}

TEST(Decoder, every_byte_string_decodes_to_pool_values_that_encode_back) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    const std::string bytes = RandomBytes(rng, rng() % (kMaxInputBytes + 64));
    const FuzzInput input = Decode(bytes);
    ASSERT_EQ(input.ops.size(), OpRecords(bytes));
    absl::StatusOr<std::string> canonical = Encode(input);
    ASSERT_TRUE(canonical.ok()) << canonical.status();
    const FuzzInput again = Decode(*canonical);
    EXPECT_EQ(Printed(again.ops), Printed(input.ops));
    EXPECT_EQ(again.setup, input.setup);
    EXPECT_EQ(again.faults, input.faults);
  }
}

TEST(Decoder, every_kind_of_operation_has_a_record) {
  std::set<size_t> kinds;
  for (uint32_t kind = 0; kind < kFaultMarker; ++kind) {
    kinds.insert(
        Decode(std::string{'\0', static_cast<char>(kind), '\0', '\0', '\0'}).ops.front().index());
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<Op>);
}

TEST(Decoder, input_past_the_maximum_is_cut_and_a_partial_record_ignored) {
  std::mt19937 rng(11);
  const std::string bytes = RandomOps(rng, kMaxRecords + 3);
  EXPECT_EQ(Decode(bytes).ops.size(), kMaxRecords);
  EXPECT_EQ(Printed(Decode(bytes).ops), Printed(Decode(bytes.substr(0, kMaxInputBytes)).ops));
  const std::string two = bytes.substr(0, 1 + 2 * kRecordBytes);
  EXPECT_EQ(Printed(Decode(two + "\x01\x02").ops), Printed(Decode(two).ops));
}

TEST(Decoder, changing_one_byte_changes_one_operation) {
  std::mt19937 rng(3);
  for (int round = 0; round < 500; ++round) {
    std::string bytes = RandomOps(rng, 10);
    const std::vector<std::string> before = Printed(Decode(bytes).ops);
    const size_t at = 1 + rng() % (bytes.size() - 1);
    const bool kind = (at - 1) % kRecordBytes == 0;
    bytes[at] = static_cast<char>(kind ? rng() % kFaultMarker : rng() & 0xFF);
    const std::vector<std::string> after = Printed(Decode(bytes).ops);
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < before.size(); ++i) {
      if (i != (at - 1) / kRecordBytes) {
        EXPECT_EQ(after[i], before[i]) << "record " << i;
      }
    }
  }
}

TEST(Decoder, removing_a_record_removes_one_operation) {
  std::mt19937 rng(5);
  const std::string bytes = RandomOps(rng, 6);
  std::vector<std::string> expected = Printed(Decode(bytes).ops);
  expected.erase(expected.begin() + 2);
  std::string cut = bytes;
  cut.erase(1 + 2 * kRecordBytes, kRecordBytes);
  EXPECT_EQ(Printed(Decode(cut).ops), expected);
}

TEST(Decoder, G5_a_fault_marker_marks_the_next_operation_and_nothing_else) {
  std::mt19937 rng(13);
  const std::string ops = RandomOps(rng, 4);
  const FuzzInput plain = Decode(ops);
  EXPECT_TRUE(plain.faults.empty());
  // Markers before the second op (the later one wins) and after the last op (marks nothing).
  std::string marked = ops;
  marked.insert(1 + kRecordBytes, std::string{static_cast<char>(kFaultMarker + 2), 9, 9, 9});
  marked.insert(1 + kRecordBytes, std::string{static_cast<char>(kFaultMarker + 7), 0, 0, 0});
  marked += std::string{static_cast<char>(0xFF), 0, 0, 0};
  const FuzzInput input = Decode(marked);
  EXPECT_EQ(Printed(input.ops), Printed(plain.ops));
  EXPECT_EQ(input.faults, (std::vector<Fault>{{.op = 1, .step = 2}}));
  EXPECT_NE(Describe(input).find("step 2 fails at internal step 2"), std::string::npos)
      << Describe(input);
}

TEST(Encoder, seeds_encode_and_decode_back_exactly) {
  std::set<std::string> names;
  for (const Seed& seed : Seeds()) {
    EXPECT_TRUE(names.insert(seed.name).second) << "duplicate seed " << seed.name;
    absl::StatusOr<std::string> bytes = Encode(seed.input);
    ASSERT_TRUE(bytes.ok()) << seed.name << ": " << bytes.status();
    const FuzzInput decoded = Decode(*bytes);
    EXPECT_EQ(decoded.setup, seed.input.setup) << seed.name;
    EXPECT_EQ(decoded.faults, seed.input.faults) << seed.name;
    EXPECT_EQ(Printed(decoded.ops), Printed(seed.input.ops)) << seed.name;
    EXPECT_EQ(Encode(decoded).value_or(""), *bytes) << seed.name;
  }
}

TEST(Encoder, values_outside_the_pools_are_rejected_with_the_step) {
  FuzzInput input;
  input.ops = {op::CreateCapsule{"alice", "alice"}, op::CreateCapsule{"dave", "alice"}};
  absl::StatusOr<std::string> bytes = Encode(input);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bytes.status().message().find("step 2"), std::string::npos) << bytes.status();

  EXPECT_FALSE(EncodeOp(op::GetMemory{"alice", CapsuleRef{kCapsuleRefs}, MemoryRef{1}}).ok());
  EXPECT_FALSE(EncodeOp(op::GetMemory{"alice", CapsuleRef{1}, MemoryRef{kMemoryRefs}}).ok());
  EXPECT_FALSE(EncodeOp(op::PutChunk{"alice", SessionRef{1}, 0, "other bytes"}).ok());
  EXPECT_FALSE(EncodeOp(op::FinishUpload{"alice", SessionRef{1}, 1, 2}).ok());
  EXPECT_FALSE(EncodeOp(op::AdvanceClock{12345}).ok());
  EXPECT_FALSE(Encode(FuzzInput{StoreSetup{.max_pending_sessions = 7}, {}}).ok());
  EXPECT_FALSE(Encode(FuzzInput{{}, std::vector<Op>(kMaxRecords + 1, op::Upgrade{}), {}}).ok());
  // Faults: past the last op, out of order, or at a step the format cannot carry.
  const std::vector<Op> two(2, op::Upgrade{});
  EXPECT_TRUE(Encode(FuzzInput{{}, two, {{.op = 0, .step = 1}, {.op = 1, .step = 0}}}).ok());
  EXPECT_FALSE(Encode(FuzzInput{{}, two, {{.op = 2, .step = 0}}}).ok());
  EXPECT_FALSE(Encode(FuzzInput{{}, two, {{.op = 1, .step = 0}, {.op = 0, .step = 0}}}).ok());
  EXPECT_FALSE(Encode(FuzzInput{{}, two, {{.op = 0, .step = kFaultSteps}}}).ok());
}

// The seeds are scenario sequences: the reference must agree with itself on every one, and most
// of their steps must succeed or fail for the reasons the seed is named after, not stop early.
TEST(Seeds, E1_reference_agrees_with_itself_on_every_seed) {
  for (const Seed& seed : Seeds()) {
    const StoreOptions options = seed.input.setup.Options();
    auto a = Registry::Global().Create("reference", options);
    auto b = Registry::Global().Create("reference", options);
    ASSERT_TRUE(a.ok() && b.ok());
    const RunResult result = RunDifferential(seed.input.ops, **a, **b);
    EXPECT_TRUE(result.ok()) << seed.name << "\n" << FormatReport(result, "reference", "reference");
    size_t succeeded = 0;
    for (const Outcome& outcome : result.outcomes) succeeded += outcome.ok() ? 1 : 0;
    EXPECT_GT(succeeded, 0u) << seed.name;
  }
}

}  // namespace
}  // namespace idemcheck::fuzz
