// Tests of what the benchmark figures rest on: the heap accounting and the workload's inputs.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "bench/counting_allocator.h"
#include "bench/workload.h"
#include "gtest/gtest.h"
#include "idemcheck/values.h"

namespace idemcheck::bench {
namespace {

// glibc rounds a request up to 16 bytes and adds an 8-byte header; ASan reports the request.
constexpr int64_t kSlack = 32;

TEST(HeapGrowth, counts_an_allocation_and_its_release) {
  const HeapGrowth growth;
  auto block = std::make_unique<char[]>(1000);
  EXPECT_GE(growth.bytes(), 1000);
  EXPECT_LE(growth.bytes(), 1000 + kSlack);
  block.reset();
  EXPECT_EQ(growth.bytes(), 0);
}

TEST(HeapGrowth, ignores_what_happens_outside_the_window) {
  auto before = std::make_unique<std::string>(500, 'x');
  {
    const HeapGrowth growth;
    EXPECT_EQ(growth.bytes(), 0);
  }
  auto after = std::make_unique<std::string>(500, 'y');
  const HeapGrowth growth;
  EXPECT_EQ(growth.bytes(), 0);
}

TEST(HeapGrowth, release_of_older_memory_reduces_the_growth) {
  auto old_block = std::make_unique<char[]>(4096);
  const HeapGrowth growth;
  old_block.reset();
  EXPECT_LE(growth.bytes(), -4096);
}

TEST(HeapGrowth, counts_over_aligned_allocations) {
  struct alignas(64) Line {
    char bytes[64];
  };
  const HeapGrowth growth;
  auto lines = std::make_unique<Line[]>(10);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(lines.get()) % 64, 0u);
  EXPECT_GE(growth.bytes(), 640);
  lines.reset();
  EXPECT_EQ(growth.bytes(), 0);
}

TEST(Workload, keys_are_valid_and_streams_never_share_one) {
  absl::flat_hash_set<std::string> seen;
  for (Stream stream : {Stream::kStored, Stream::kAbsent, Stream::kFresh}) {
    for (uint64_t j = 0; j < 2000; ++j) {
      const std::string uuid = UuidText(stream, j);
      EXPECT_TRUE(IsValidUuid(uuid)) << uuid;
      EXPECT_TRUE(IsValidIdemKey(uuid)) << uuid;
      const std::string key = ShortKey(stream, j);
      EXPECT_TRUE(IsValidIdemKey(key)) << key;
      EXPECT_LT(key.size(), 16u) << "short keys must fit std::string's inline buffer";
      EXPECT_TRUE(seen.insert(uuid).second) << uuid;
      EXPECT_TRUE(seen.insert(key).second) << key;
    }
  }
}

TEST(Workload, principals_are_valid_distinct_and_never_anonymous) {
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < kCallers; ++i) {
    const std::string caller = CallerPrincipal(i);
    EXPECT_TRUE(IsValidPrincipal(caller)) << caller;
    EXPECT_EQ(caller.size(), 63u);
    EXPECT_NE(caller, kAnonymous);
    EXPECT_TRUE(seen.insert(caller).second) << caller;
  }
  for (size_t c = 0; c < kCapsules; ++c) {
    EXPECT_TRUE(IsValidPrincipal(SubjectPrincipal(c)));
    EXPECT_TRUE(seen.insert(SubjectPrincipal(c)).second);
  }
}

TEST(Workload, every_record_is_created_by_a_principal_with_access) {
  for (uint64_t j = 0; j < 3 * kCapsules * kPrincipalsPerCapsule; ++j) {
    const size_t c = CapsuleOf(j);
    std::vector<size_t> access = {OwnerOf(c)};
    for (size_t k = 0; k + 1 < kPrincipalsPerCapsule; ++k) access.push_back(ControllerOf(c, k));
    EXPECT_NE(std::find(access.begin(), access.end(), CallerOf(j)), access.end()) << j;
  }
}

TEST(Workload, conflicting_payload_differs_from_every_stored_one) {
  for (uint64_t j = 0; j < 5000; ++j) EXPECT_NE(MemoryPayloadOf(j), ConflictingPayload());
}

TEST(Workload, probe_order_is_a_permutation) {
  for (size_t n : {1u, 2u, 1000u, 4099u}) {
    std::vector<uint32_t> order = ProbeOrder(n);
    std::vector<bool> hit(n, false);
    for (uint32_t j : order) {
      ASSERT_LT(j, n);
      EXPECT_FALSE(hit[j]);
      hit[j] = true;
    }
    EXPECT_EQ(order.size(), n);
  }
}

}  // namespace
}  // namespace idemcheck::bench
