// Stress tests of impl/concurrent on real threads: many clients retry one create at once. The
// scenario suites in tests/ check its sequential behaviour; the parallel property checks
// linearizability of small runs.

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck {
namespace {

constexpr size_t kThreads = 4;
constexpr size_t kCallsPerThread = 200;
const MemoryPayload kPhoto{"beach", "jpeg"};
constexpr char kGallery[] = "11111111-1111-4111-8111-111111111111";

std::unique_ptr<Store> NewConcurrentStore() {
  absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create("impl/concurrent");
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Runs `body(thread)` on kThreads threads released together.
template <typename Body>
void OnThreads(Body body) {
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) threads.emplace_back(body, t);
  for (std::thread& thread : threads) thread.join();
}

TEST(ConcurrentStore, is_registered_as_a_thread_safe_implementation) {
  const StoreInfo* info = Registry::Global().Find("impl/concurrent");
  ASSERT_NE(info, nullptr);
  EXPECT_TRUE(info->thread_safe);
  EXPECT_EQ(info->kind, StoreKind::kImplementation);
  const StoreInfo* mutant = Registry::Global().Find("mutant/race-check-then-insert");
  ASSERT_NE(mutant, nullptr);
  EXPECT_TRUE(mutant->thread_safe);
  EXPECT_TRUE(mutant->concurrent_only);
}

TEST(ConcurrentStore, M4_concurrent_retries_of_one_key_share_one_memory) {
  std::unique_ptr<Store> store = NewConcurrentStore();
  ASSERT_NE(store, nullptr);
  const StoreId capsule = *store->CreateCapsule("alice", "alice");
  std::vector<std::vector<StoreId>> ids(kThreads);
  OnThreads([&](size_t t) {
    for (size_t i = 0; i < kCallsPerThread; ++i) {
      absl::StatusOr<StoreId> id = store->CreateMemory("alice", capsule, kPhoto, "k1");
      ids[t].push_back(id.ok() ? *id : 0);
    }
  });
  for (const std::vector<StoreId>& thread_ids : ids) {
    for (StoreId id : thread_ids) EXPECT_EQ(id, ids[0][0]);
  }
  EXPECT_EQ(store->ListMemories("alice", capsule)->size(), 1u);
}

TEST(ConcurrentStore, M2_concurrent_creates_without_a_key_get_distinct_ids) {
  std::unique_ptr<Store> store = NewConcurrentStore();
  ASSERT_NE(store, nullptr);
  const StoreId capsule = *store->CreateCapsule("alice", "alice");
  std::vector<std::vector<StoreId>> ids(kThreads);
  OnThreads([&](size_t t) {
    for (size_t i = 0; i < kCallsPerThread; ++i) {
      absl::StatusOr<StoreId> id = store->CreateMemory("alice", capsule, kPhoto, "");
      if (id.ok()) ids[t].push_back(*id);
    }
  });
  std::set<StoreId> distinct;
  for (const std::vector<StoreId>& thread_ids : ids)
    distinct.insert(thread_ids.begin(), thread_ids.end());
  EXPECT_EQ(distinct.size(), kThreads * kCallsPerThread);
  EXPECT_EQ(store->ListMemories("alice", capsule)->size(), kThreads * kCallsPerThread);
}

TEST(ConcurrentStore, C1_concurrent_capsule_creates_for_one_caller_and_subject_share_one) {
  std::unique_ptr<Store> store = NewConcurrentStore();
  ASSERT_NE(store, nullptr);
  std::vector<std::set<StoreId>> ids(kThreads);
  OnThreads([&](size_t t) {
    for (size_t i = 0; i < kCallsPerThread; ++i) {
      ids[t].insert(*store->CreateCapsule("alice", "bob"));
      ids[t].insert(*store->CreateCapsule("carol", "bob"));
    }
  });
  std::set<StoreId> all;
  for (const std::set<StoreId>& thread_ids : ids) all.insert(thread_ids.begin(), thread_ids.end());
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(store->Observe().size(), 2u);
}

TEST(ConcurrentStore, F1_one_gallery_id_claimed_from_many_capsules_goes_to_exactly_one) {
  std::unique_ptr<Store> store = NewConcurrentStore();
  ASSERT_NE(store, nullptr);
  std::vector<StoreId> capsules;
  for (size_t t = 0; t < kThreads; ++t) {
    capsules.push_back(*store->CreateCapsule("alice", "subject" + std::to_string(t)));
  }
  std::vector<size_t> created(kThreads, 0);
  OnThreads([&](size_t t) {
    for (size_t i = 0; i < kCallsPerThread; ++i) {
      created[t] += store->CreateGallery("alice", capsules[t], kGallery, {"g"}).ok();
    }
  });
  size_t winners = 0;
  for (size_t t = 0; t < kThreads; ++t) {
    if (created[t] == 0) continue;
    ++winners;
    EXPECT_EQ(created[t], kCallsPerThread)
        << "F3: once a capsule holds the ID, its retries succeed";
  }
  EXPECT_EQ(winners, 1u);
}

TEST(ConcurrentStore, C1_after_a_racing_grant_the_oldest_owned_capsule_wins) {
  // bob becomes an owner of alice's capsule about "dan" while he creates his own capsule about
  // "dan". Whichever went first, he now owns the older one, and C1 must return it.
  for (int round = 0; round < 50; ++round) {
    std::unique_ptr<Store> store = NewConcurrentStore();
    ASSERT_NE(store, nullptr);
    const StoreId shared = *store->CreateCapsule("alice", "dan");
    std::thread granter(
        [&] { EXPECT_TRUE(store->Grant("alice", shared, "bob", Role::kOwner).ok()); });
    const StoreId own = *store->CreateCapsule("bob", "dan");
    granter.join();
    EXPECT_TRUE(own == shared || own > shared);
    EXPECT_EQ(*store->CreateCapsule("bob", "dan"), shared);
  }
}

}  // namespace
}  // namespace idemcheck
