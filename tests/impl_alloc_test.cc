// Heap use of impl, measured with a counting global allocator (this executable replaces operator
// new and delete): replays allocate nothing (the replay path of M4 and U1), the bytes one
// idempotency record costs, and Restore's allocations bounded by its input (T3).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "idemcheck/registry.h"
#include "impl/impl_store.h"
#include "impl/snapshot.h"
#include "tests/impl_test_util.h"
#include "tests/scenario.h"

namespace {

// Each block carries its size in a 16-byte header, so live bytes can be tracked.
constexpr size_t kHeader = 16;
std::atomic<uint64_t> allocations{0};
std::atomic<uint64_t> allocated_bytes{0};  // requested, cumulative
std::atomic<int64_t> live_bytes{0};        // requested, currently allocated

void* CountingNew(size_t size) {
  void* block = std::malloc(size + kHeader);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<size_t*>(block) = size;
  allocations.fetch_add(1, std::memory_order_relaxed);
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  live_bytes.fetch_add(static_cast<int64_t>(size), std::memory_order_relaxed);
  return static_cast<char*>(block) + kHeader;
}

void CountingDelete(void* p) noexcept {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - kHeader;
  live_bytes.fetch_sub(static_cast<int64_t>(*static_cast<size_t*>(block)),
                       std::memory_order_relaxed);
  std::free(block);
}

}  // namespace

void* operator new(size_t size) { return CountingNew(size); }
void* operator new[](size_t size) { return CountingNew(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  try {
    return CountingNew(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { CountingDelete(p); }
void operator delete[](void* p) noexcept { CountingDelete(p); }
void operator delete(void* p, size_t) noexcept { CountingDelete(p); }
void operator delete[](void* p, size_t) noexcept { CountingDelete(p); }

namespace idemcheck::testing {
namespace {

class Alloc : public ::testing::TestWithParam<std::string> {};

// The replay path of CreateMemory (M4) and BeginUpload (U1): lookup by string_view, full
// comparison, no heap allocation at all.
TEST_P(Alloc, M4_U1_replays_allocate_nothing) {
  std::unique_ptr<Store> store = MakeStore(GetParam(), Limits{.max_pending_sessions = 1000});
  const StoreId capsule = store->CreateCapsule(kAlice, kAlice).value();
  ASSERT_TRUE(store->Grant(kAlice, capsule, kBob, Role::kController).ok());
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(absl::StrFormat("%036d", i));
  std::vector<StoreId> memories;
  std::vector<StoreId> sessions;
  for (const std::string& key : keys) {
    memories.push_back(store->CreateMemory(kAlice, capsule, kPhoto, key).value());
    ASSERT_TRUE(store->CreateMemory(kBob, capsule, kNote, key).ok());
    sessions.push_back(store->BeginUpload(kAlice, capsule, 3, key).value());
  }
  const absl::string_view alice = kAlice;
  const uint64_t before = allocations.load();
  for (int round = 0; round < 5; ++round) {
    for (size_t i = 0; i < keys.size(); ++i) {
      absl::StatusOr<StoreId> memory = store->CreateMemory(alice, capsule, kPhoto, keys[i]);
      absl::StatusOr<StoreId> session = store->BeginUpload(alice, capsule, 3, keys[i]);
      if (!memory.ok() || *memory != memories[i] || !session.ok() || *session != sessions[i]) {
        ADD_FAILURE() << "replay " << i << " did not return the recorded ID";
        return;
      }
    }
  }
  EXPECT_EQ(allocations.load() - before, 0u);
}

// Bytes per idempotency record: 10^5 memories with 36-byte keys against 10^5 without a key, the
// difference divided by the count. Printed for docs/impl.md; the budget is a regression guard.
TEST(AllocFigures, M3_bytes_per_idempotency_record) {
  constexpr int kCount = 100'000;
  const MemoryPayload payload{"t", "c"};
  std::vector<std::string> keys;
  for (int i = 0; i < kCount; ++i) keys.push_back(absl::StrFormat("%036d", i));
  auto footprint = [&](bool keyed) {
    const int64_t start = live_bytes.load();
    const uint64_t start_allocations = allocations.load();
    auto store = std::make_unique<ImplStore>();
    const StoreId capsule = store->CreateCapsule(kAlice, kAlice).value();
    for (int i = 0; i < kCount; ++i) {
      EXPECT_TRUE(
          store->CreateMemory(kAlice, capsule, payload, keyed ? absl::string_view(keys[i]) : "")
              .ok());
    }
    const int64_t bytes = live_bytes.load() - start;
    const uint64_t calls = allocations.load() - start_allocations;
    // M8: once every record has expired, what is left is what the unkeyed store holds plus
    // the record index's empty table (flat_hash_set does not shrink).
    EXPECT_TRUE(store->AdvanceClock(Limits{}.retention_seconds).ok());
    const int64_t after_expiry = live_bytes.load() - start;
    return std::vector<int64_t>{bytes, static_cast<int64_t>(calls), after_expiry};
  };
  const std::vector<int64_t> plain = footprint(false);
  const std::vector<int64_t> keyed = footprint(true);
  const double per_record = static_cast<double>(keyed[0] - plain[0]) / kCount;
  const double allocations_per_record = static_cast<double>(keyed[1] - plain[1]) / kCount;
  const double left_after_expiry = static_cast<double>(keyed[2] - plain[2]) / kCount;
  std::printf(
      "idempotency record: %.1f bytes requested from the heap per record (%.2f allocations), "
      "%d records with 36-byte keys; %.1f bytes per record remain after expiry\n",
      per_record, allocations_per_record, kCount, left_after_expiry);
  EXPECT_GT(per_record, 36.0);  // at least the key itself
  EXPECT_LT(per_record, 160.0);
  EXPECT_LT(left_after_expiry, per_record / 2);
}

// T3: Restore allocates at most a small multiple of its input, for valid snapshots and for
// snapshots built to make it allocate as much as possible per input byte.
TEST(AllocFigures, T3_restore_allocates_a_small_multiple_of_its_input) {
  constexpr uint64_t kFactor = 32;
  constexpr uint64_t kSlack = 16 * 1024;
  auto check = [&](const std::string& name, const std::string& bytes, bool valid) {
    const uint64_t before = allocated_bytes.load();
    absl::StatusOr<std::unique_ptr<ImplStore>> restored = ImplStore::Restore(bytes, {});
    const uint64_t used = allocated_bytes.load() - before;
    EXPECT_EQ(restored.ok(), valid) << name << ": " << restored.status();
    std::printf("restore of %s: %zu bytes in, %llu bytes allocated (%.1fx)\n", name.c_str(),
                bytes.size(), static_cast<unsigned long long>(used),
                static_cast<double>(used) / static_cast<double>(bytes.size()));
    EXPECT_LE(used, kFactor * bytes.size() + kSlack) << name;
  };

  // Many capsules with one-byte names: the densest valid encoding of per-capsule state.
  {
    ImplStore store;
    for (int i = 0; i < 5000; ++i) {
      const std::string name = absl::StrFormat("%d", i);
      ASSERT_TRUE(store.CreateCapsule(name, name).ok());
    }
    check("5000 capsules", store.Snapshot(), true);
  }
  // Many one-byte chunks, memories without payload, and keyed records.
  {
    ImplStore store;
    const StoreId capsule = store.CreateCapsule(kAlice, kAlice).value();
    const StoreId session = store.BeginUpload(kAlice, capsule, 16'384, "").value();
    for (uint32_t i = 0; i < 16'384; ++i) ASSERT_TRUE(store.PutChunk(kAlice, session, i, "x").ok());
    for (int i = 0; i < 5000; ++i) {
      ASSERT_TRUE(store.CreateMemory(kAlice, capsule, {}, "").ok());
      ASSERT_TRUE(store.CreateMemory(kAlice, capsule, {}, absl::StrFormat("%d", i)).ok());
    }
    check("small chunks and memories", store.Snapshot(), true);
  }
  // Hostile counts in each section of a valid snapshot.
  auto small = std::make_unique<ImplStore>();
  ASSERT_TRUE(small->CreateCapsule(kAlice, kAlice).ok());
  const std::string valid = small->Snapshot();
  absl::StatusOr<std::vector<snapshot::SectionView>> views = snapshot::SplitSections(valid);
  ASSERT_TRUE(views.ok());
  for (uint32_t tag = 2; tag <= 7; ++tag) {
    std::vector<snapshot::Section> sections;
    for (const snapshot::SectionView& view : *views) {
      sections.push_back({view.tag, std::string(view.body)});
    }
    snapshot::Writer body;
    body.U32(0xFFFFFFFF);
    body.Raw(std::string(1024, '\x01'));
    sections[tag - 1].body = std::move(body).Finish();
    check(absl::StrFormat("hostile count in section %d", tag), snapshot::JoinSections(sections),
          false);
  }
}

INSTANTIATE_TEST_SUITE_P(Impl, Alloc, ::testing::ValuesIn(ImplStores()),
                         [](const auto& param_info) { return StoreTestName(param_info.param); });

}  // namespace
}  // namespace idemcheck::testing
