// Galleries and folders: idempotent on the client-supplied UUID (F1-F5).

#include <string>

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using Galleries = Scenario;
using Folders = Scenario;

const GalleryPayload kSummer{"summer"};
const GalleryPayload kWinter{"winter"};

TEST_P(Galleries, F1_ids_are_global_across_capsules) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c2, kGallery1, kSummer}), Err(Code::kConflict));
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kGallery1, {"same id, other kind", {}}}), Ok());
}

TEST_P(Galleries, F1_malformed_ids_are_invalid) {
  CapsuleRef c1 = NewCapsule(kAlice);
  for (const std::string id :
       {"", "11111111-1111-4111-8111-11111111111", "11111111-1111-4111-8111-1111111111111",
        "11111111-1111-4111-8111-11111111111G", "AAAAAAAA-1111-4111-8111-111111111111",
        "11111111_1111-4111-8111-111111111111", "111111111111-4111-8111-1111111111111"}) {
    EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, id, kSummer}), Err(Code::kInvalidArgument)) << id;
    EXPECT_EQ(Do(op::GetGallery{kAlice, c1, id}), Err(Code::kInvalidArgument)) << id;
  }
  EXPECT_TRUE(Observe()[0].galleries.empty());
}

TEST_P(Galleries, F2_free_id_creates) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Do(op::GetGallery{kAlice, c1, kGallery1}), Ok(kSummer));
}

TEST_P(Galleries, F3_same_capsule_same_payload_replays_anything_else_conflicts) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  State before = Observe();
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kWinter}), Err(Code::kConflict));
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c2, kGallery1, kSummer}), Err(Code::kConflict));
  EXPECT_EQ(Observe(), before);
}

TEST_P(Galleries, F3_replay_by_another_authorized_caller_is_the_same_gallery) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Do(op::CreateGallery{kBob, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Observe()[0].galleries.size(), 1u);
}

TEST_P(Galleries, F4_tombstone_replays_without_resurrecting_until_the_window_ends) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  ASSERT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  ASSERT_TRUE(Do(op::AdvanceClock{100}).ok());
  ASSERT_EQ(Do(op::DeleteGallery{kAlice, c1, kGallery1}), Ok());
  // The window runs from the delete, not from the create.
  ASSERT_TRUE(Do(op::AdvanceClock{limits().retention_seconds - 1}).ok());
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kSummer}), Ok());
  EXPECT_EQ(Do(op::GetGallery{kAlice, c1, kGallery1}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c1, kGallery1, kWinter}), Err(Code::kConflict));
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c2, kGallery1, kSummer}), Err(Code::kConflict));
  EXPECT_EQ(Do(op::DeleteGallery{kAlice, c1, kGallery1}), Err(Code::kNotFound));
  EXPECT_TRUE(Observe()[0].galleries.empty());
  // At the end of the window the ID is free again, in any capsule, with any payload.
  ASSERT_TRUE(Do(op::AdvanceClock{1}).ok());
  EXPECT_EQ(Do(op::CreateGallery{kAlice, c2, kGallery1, kWinter}), Ok());
  EXPECT_EQ(Do(op::GetGallery{kAlice, c2, kGallery1}), Ok(kWinter));
  EXPECT_EQ(Do(op::GetGallery{kAlice, c1, kGallery1}), Err(Code::kNotFound));
}

TEST_P(Folders, F2_F3_folders_are_idempotent_on_their_id) {
  CapsuleRef c1 = NewCapsule(kAlice);
  const FolderPayload docs{"docs", {}};
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, docs}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, docs}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"docs", kFolder2}}), Err(Code::kConflict));
  EXPECT_EQ(Do(op::ListFolders{kAlice, c1}), Ok(std::vector<FolderEntry>{{kFolder1, docs}}));
}

TEST_P(Folders, F4_folder_tombstone_holds_the_id) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"docs", {}}}), Ok());
  ASSERT_EQ(Do(op::DeleteFolder{kAlice, c1, kFolder1}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"docs", {}}}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"other", {}}}), Err(Code::kConflict));
  EXPECT_TRUE(Observe()[0].folders.empty());
  ASSERT_TRUE(Do(op::AdvanceClock{limits().retention_seconds}).ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"other", {}}}), Ok());
}

TEST_P(Folders, F5_parent_must_be_a_live_folder_in_the_same_capsule) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"root", {}}}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder2, {"child", kFolder1}}), Ok());
  const char* kChild3 = "55555555-5555-4555-8555-555555555555";
  // A parent in another capsule, a missing parent, a gallery ID, itself, a malformed parent.
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c2, kChild3, {"x", kFolder1}}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kChild3, {"x", kGallery1}}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kChild3, {"x", kChild3}}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kChild3, {"x", "not-a-uuid"}}),
            Err(Code::kInvalidArgument));
  // A deleted parent is not live.
  ASSERT_EQ(Do(op::DeleteFolder{kAlice, c1, kFolder1}), Ok());
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kChild3, {"x", kFolder1}}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Observe()[1].folders.size(), 0u);
}

TEST_P(Folders, F5_replay_succeeds_after_the_parent_is_deleted) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder1, {"root", {}}}), Ok());
  ASSERT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder2, {"child", kFolder1}}), Ok());
  ASSERT_EQ(Do(op::DeleteFolder{kAlice, c1, kFolder1}), Ok());
  // The idempotency lookup (G4) comes before the parent check: a retry is still a retry.
  EXPECT_EQ(Do(op::CreateFolder{kAlice, c1, kFolder2, {"child", kFolder1}}), Ok());
}

IDEMCHECK_SCENARIO_SUITE(Galleries);
IDEMCHECK_SCENARIO_SUITE(Folders);

}  // namespace
}  // namespace idemcheck::testing
