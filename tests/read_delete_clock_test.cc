// Reads and deletes (R1-R3), the clock (T1) and upgrade (T2).

#include <string>

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using Reads = Scenario;
using Clock = Scenario;

TEST_P(Reads, R1_reads_see_live_entities_of_the_named_capsule_only) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  MemoryRef m1 = NewMemory(kAlice, c1);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, {"g"}}), Ok());
  EXPECT_EQ(Do(op::GetMemory{kAlice, c2, m1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetGallery{kAlice, c2, kGallery1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetMemory{kAlice, c1, MemoryRef{5}}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetFolder{kAlice, c1, kFolder1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetMemory{kBob, c1, m1}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::GetMemory{std::string(kAnonymous), c1, m1}), Err(Code::kUnauthorized));
}

TEST_P(Reads, R2_delete_acts_in_the_named_capsule_and_a_second_delete_is_not_found) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  MemoryRef m1 = NewMemory(kAlice, c1);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, {"g"}}), Ok());
  EXPECT_EQ(Do(op::DeleteMemory{kAlice, c2, m1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::DeleteGallery{kAlice, c2, kGallery1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetMemory{kAlice, c1, m1}), Ok(kPhoto));
  EXPECT_EQ(Do(op::DeleteMemory{kBob, c1, m1}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::DeleteMemory{kAlice, c1, m1}), Ok());
  EXPECT_EQ(Do(op::DeleteMemory{kAlice, c1, m1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::DeleteGallery{kAlice, c1, kGallery1}), Ok());
  EXPECT_EQ(Do(op::DeleteGallery{kAlice, c1, kGallery1}), Err(Code::kNotFound));
}

TEST_P(Reads, R3_listings_hold_every_live_entity_in_creation_order) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  MemoryRef a = NewMemory(kAlice, c1, kPhoto, "a");
  MemoryRef other = NewMemory(kAlice, c2, kPhoto, "a");
  MemoryRef b = NewMemory(kAlice, c1, kNote, "");
  MemoryRef c = NewMemory(kAlice, c1, kPhoto, "c");
  ASSERT_EQ(Do(op::DeleteMemory{kAlice, c1, b}), Ok());
  EXPECT_EQ(Do(op::ListMemories{kAlice, c1}),
            Ok(std::vector<MemoryEntry>{{a, kPhoto}, {c, kPhoto}}));
  EXPECT_EQ(Do(op::ListMemories{kAlice, c2}), Ok(std::vector<MemoryEntry>{{other, kPhoto}}));
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery2, {"second id, first made"}}), Ok());
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, {"first id, second made"}}), Ok());
  EXPECT_EQ(Do(op::ListGalleries{kAlice, c1}),
            Ok(std::vector<GalleryEntry>{{kGallery2, {"second id, first made"}},
                                         {kGallery1, {"first id, second made"}}}));
  EXPECT_EQ(Do(op::ListFolders{kAlice, c2}), Ok(std::vector<FolderEntry>{}));
}

TEST_P(Clock, T1_advance_is_bounded) {
  EXPECT_EQ(Do(op::AdvanceClock{0}), Ok());
  EXPECT_EQ(Do(op::AdvanceClock{limits().max_clock_advance_seconds}), Ok());
  EXPECT_EQ(Do(op::AdvanceClock{limits().max_clock_advance_seconds + 1}),
            Err(Code::kInvalidArgument));
}

TEST_P(Clock, T1_rejected_advance_moves_nothing) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  ASSERT_TRUE(Do(op::AdvanceClock{limits().retention_seconds - 1}).ok());
  ASSERT_EQ(Do(op::AdvanceClock{~uint64_t{0}}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));
}

TEST_P(Clock, T2_upgrade_changes_nothing_observable) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  MemoryRef deleted = NewMemory(kAlice, c1, kNote, "k2");
  ASSERT_EQ(Do(op::DeleteMemory{kAlice, c1, deleted}), Ok());
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, {"g"}}), Ok());
  ASSERT_EQ(Do(op::DeleteGallery{kAlice, c1, kGallery1}), Ok());
  SessionRef u1 = NewSession(kAlice, c1, 2, "up");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, "abc"}), Ok());
  ASSERT_TRUE(Do(op::AdvanceClock{100}).ok());
  State before = Observe();

  ASSERT_EQ(Do(op::Upgrade{}), Ok());

  EXPECT_EQ(Observe(), before);
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));      // records
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "k2"}), Ok(deleted));  // M7 after upgrade
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, {"h"}}), Err(Code::kConflict));  // F4
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 2, "up"}), Ok(u1));              // session keys
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, "abd"}), Err(Code::kConflict));  // its chunks
  // The clock: the pending session expires TTL after its begin, not after the upgrade.
  ASSERT_TRUE(Do(op::AdvanceClock{limits().session_ttl_seconds - 100}).ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 1, "d"}), Err(Code::kNotFound));
  // ID sequences continue: nothing handed out before is handed out again.
  MemoryRef next = NewMemory(kAlice, c1, kPhoto, "");
  EXPECT_EQ(next.n, 3u);
  EXPECT_EQ(Do(op::Upgrade{}), Ok());
  EXPECT_EQ(NewMemory(kAlice, c1, kPhoto, "").n, 4u);
}

IDEMCHECK_SCENARIO_SUITE(Reads);
IDEMCHECK_SCENARIO_SUITE(Clock);

}  // namespace
}  // namespace idemcheck::testing
