// The strong guarantee of impl under injected faults: for each operation, a fault is armed at
// every internal step in turn until the operation no longer reaches it. Each time the operation
// must fail with Unavailable, leave the snapshot byte for byte as it was, and from then on behave
// exactly as the reference that never saw the operation.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/fault_injection.h"
#include "idemcheck/ops.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "impl/impl_store.h"
#include "tests/impl_test_util.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

constexpr char kNewGallery[] = "55555555-5555-4555-8555-555555555555";
constexpr char kNewFolder[] = "66666666-6666-4666-8666-666666666666";
const CapsuleRef c1{1};
const CapsuleRef c2{2};

struct FaultCase {
  std::string name;
  std::vector<Op> setup;  // after RichHistory, before the faulted op
  Op op;
};

std::vector<FaultCase> Cases() {
  const Limits limits;
  const pools::FinishClaim claim = pools::ClaimFor(2);
  const std::vector<Op> complete_u1 = {
      op::PutChunk{kAlice, SessionRef{1}, 1, pools::ChunkBytes(1, 0)}};
  return {
      {"new capsule", {}, op::CreateCapsule{kCarol, kCarol}},
      {"grant owner", {}, op::Grant{kAlice, c1, kCarol, Role::kOwner}},
      {"grant owner of a subject already indexed",
       {op::CreateCapsule{kCarol, kAlice}},
       op::Grant{kAlice, c1, kCarol, Role::kOwner}},
      {"grant controller", {}, op::Grant{kAlice, c1, kCarol, Role::kController}},
      {"revoke controller", {}, op::Revoke{kAlice, c1, kBob, Role::kController}},
      {"revoke owner", {}, op::Revoke{kBob, c2, kCarol, Role::kOwner}},
      {"keyed memory", {}, op::CreateMemory{kAlice, c1, kPhoto, "new-key"}},
      {"keyed memory of a new caller",
       {op::Grant{kAlice, c1, kCarol, Role::kController}},
       op::CreateMemory{kCarol, c1, kPhoto, "k1"}},
      {"memory without key", {}, op::CreateMemory{kAlice, c1, kNote, ""}},
      {"delete memory with a record", {}, op::DeleteMemory{kAlice, c1, MemoryRef{1}}},
      {"delete memory without a record", {}, op::DeleteMemory{kAlice, c1, MemoryRef{4}}},
      {"get memory", {}, op::GetMemory{kAlice, c1, MemoryRef{1}}},
      {"list memories", {}, op::ListMemories{kAlice, c1}},
      {"new gallery", {}, op::CreateGallery{kAlice, c1, kNewGallery, GalleryPayload{"new"}}},
      {"delete gallery", {}, op::DeleteGallery{kAlice, c1, kGallery1}},
      {"get gallery", {}, op::GetGallery{kAlice, c1, kGallery1}},
      {"list galleries", {}, op::ListGalleries{kAlice, c1}},
      {"new folder", {}, op::CreateFolder{kAlice, c1, kNewFolder, FolderPayload{"n", kFolder1}}},
      {"delete folder", {}, op::DeleteFolder{kAlice, c1, kFolder1}},
      {"list folders", {}, op::ListFolders{kAlice, c1}},
      {"keyed session", {}, op::BeginUpload{kAlice, c1, 2, "new-up"}},
      {"session without key", {}, op::BeginUpload{kAlice, c1, 1, ""}},
      {"session of a new caller", {}, op::BeginUpload{kCarol, c2, 1, "up2"}},
      {"chunk", {}, op::PutChunk{kAlice, SessionRef{1}, 1, pools::ChunkBytes(1, 0)}},
      {"finish", complete_u1,
       op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest}},
      {"abort", {}, op::AbortUpload{kAlice, SessionRef{1}}},
      {"clock across the session TTL", {}, op::AdvanceClock{limits.session_ttl_seconds}},
      {"clock across the retention window", {}, op::AdvanceClock{limits.retention_seconds}},
      {"upgrade", {}, op::Upgrade{}},
  };
}

class Faults : public ::testing::TestWithParam<std::string> {};

TEST_P(Faults, G5_failed_operation_changes_nothing_at_any_step) {
  for (const FaultCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    for (uint64_t step = 0;; ++step) {
      SCOPED_TRACE(::testing::Message() << "fault at step " << step);
      ASSERT_LT(step, 64u) << "the operation never stops reaching armed steps";
      std::unique_ptr<Store> reference = MakeStore("reference");
      std::unique_ptr<Store> actual = MakeStore(GetParam());
      auto* impl = dynamic_cast<ImplStore*>(actual.get());
      ASSERT_NE(impl, nullptr);
      Driver expected_driver(*reference);
      Driver actual_driver(*actual);
      std::vector<Op> history = RichHistory();
      history.insert(history.end(), c.setup.begin(), c.setup.end());
      for (const Op& op : history) ASSERT_EQ(actual_driver.Apply(op), expected_driver.Apply(op));
      const std::string before = impl->Snapshot();

      impl->ArmFault(step);
      const Outcome faulted = actual_driver.Apply(c.op);
      if (!impl->FaultFired()) {
        EXPECT_GT(step, 0u) << "the operation has no step to fail";
        EXPECT_EQ(faulted, expected_driver.Apply(c.op)) << "unfaulted, it behaves as before";
        break;
      }
      EXPECT_EQ(faulted.code, Code::kOutsideContract) << faulted;
      EXPECT_EQ(impl->Snapshot(), before);
      // Later behaviour: the operation itself, then every kind of state exercised.
      std::vector<Op> later = {c.op};
      const std::vector<Op> probe = Probe();
      later.insert(later.end(), probe.begin(), probe.end());
      for (const Op& op : later) {
        ASSERT_EQ(actual_driver.Apply(op), expected_driver.Apply(op)) << ToString(op);
        ASSERT_EQ(actual_driver.Observe(), expected_driver.Observe()) << ToString(op);
      }
    }
  }
}

// A fault is armed for the next operation only: one that fails its checks before any step does
// not fire it, and the operation after that runs normally.
TEST_P(Faults, armed_fault_lasts_one_operation) {
  std::unique_ptr<Store> store = MakeStore(GetParam());
  auto* faults = dynamic_cast<FaultInjectable*>(store.get());
  ASSERT_NE(faults, nullptr);
  faults->ArmFault(0);
  EXPECT_EQ(store->CreateCapsule("", kAlice).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(faults->FaultFired());
  EXPECT_TRUE(store->CreateCapsule(kAlice, kAlice).ok());

  faults->ArmFault(0);
  EXPECT_EQ(store->CreateCapsule(kBob, kBob).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(faults->FaultFired());
  EXPECT_TRUE(store->CreateCapsule(kBob, kBob).ok());
  EXPECT_EQ(store->Observe().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Impl, Faults, ::testing::ValuesIn(ImplStores()),
                         [](const auto& param_info) { return StoreTestName(param_info.param); });

}  // namespace
}  // namespace idemcheck::testing
