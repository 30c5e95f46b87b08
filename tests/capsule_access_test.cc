// Capsules (C1, C2), access (A1, A2) and the order of checks (G2, G3).

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using Capsules = Scenario;
using Access = Scenario;
using Checks = Scenario;

TEST_P(Capsules, C1_same_caller_and_subject_returns_the_same_capsule) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, kAlice}), Ok(c1));
  EXPECT_EQ(Observe().size(), 1u);
}

TEST_P(Capsules, C1_other_subject_or_other_caller_creates_a_new_capsule) {
  CapsuleRef self = NewCapsule(kAlice);
  CapsuleRef about_bob = NewCapsule(kAlice, kBob);
  CapsuleRef bobs_own = NewCapsule(kBob, kBob);
  EXPECT_NE(self, about_bob);
  EXPECT_NE(about_bob, bobs_own);
  EXPECT_EQ(Observe().size(), 3u);
}

TEST_P(Capsules, C1_returns_the_oldest_capsule_the_caller_owns_for_the_subject) {
  CapsuleRef bobs = NewCapsule(kBob, kCarol);
  CapsuleRef alices = NewCapsule(kAlice, kCarol);
  ASSERT_TRUE(Do(op::Grant{kBob, bobs, kAlice, Role::kOwner}).ok());
  // Alice now owns two capsules about carol; bob's was created first.
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, kCarol}), Ok(bobs));
  EXPECT_NE(bobs, alices);
}

TEST_P(Capsules, C1_a_controller_is_not_an_owner_for_capsule_idempotency) {
  CapsuleRef c1 = NewCapsule(kAlice, kCarol);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  Outcome bobs = Do(op::CreateCapsule{kBob, kCarol});
  ASSERT_TRUE(bobs.ok());
  EXPECT_NE(bobs, Ok(c1));
}

TEST_P(Capsules, C2_anonymous_caller_is_unauthorized) {
  EXPECT_EQ(Do(op::CreateCapsule{std::string(kAnonymous), kAlice}), Err(Code::kUnauthorized));
  EXPECT_TRUE(Observe().empty());
}

TEST_P(Capsules, C2_malformed_or_anonymous_subject_is_invalid) {
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, std::string(kAnonymous)}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, ""}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, std::string(64, 'a')}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, "tab\there"}), Err(Code::kInvalidArgument));
  // G1 before G3: an anonymous caller with a bad subject learns the argument is bad.
  EXPECT_EQ(Do(op::CreateCapsule{std::string(kAnonymous), ""}), Err(Code::kInvalidArgument));
  EXPECT_TRUE(Observe().empty());
}

TEST_P(Access, A1_owners_and_controllers_have_access_and_the_subject_does_not) {
  CapsuleRef c1 = NewCapsule(kAlice, kBob);  // bob is the subject, not an owner
  EXPECT_EQ(Do(op::ListMemories{kBob, c1}), Err(Code::kUnauthorized));
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kCarol, Role::kController}).ok());
  EXPECT_TRUE(Do(op::CreateMemory{kCarol, c1, kPhoto, ""}).ok());
  EXPECT_TRUE(Do(op::ListMemories{kCarol, c1}).ok());
  EXPECT_EQ(Do(op::ListMemories{std::string(kAnonymous), c1}), Err(Code::kUnauthorized));
}

TEST_P(Access, A2_only_owners_grant_and_revoke) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  EXPECT_EQ(Do(op::Grant{kBob, c1, kCarol, Role::kController}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::Revoke{kBob, c1, kAlice, Role::kOwner}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::Grant{kCarol, c1, kCarol, Role::kOwner}), Err(Code::kUnauthorized));
  EXPECT_EQ(Observe()[0].owners, std::vector<std::string>{kAlice});
  EXPECT_EQ(Observe()[0].controllers, std::vector<std::string>{kBob});
}

TEST_P(Access, A2_granting_what_is_held_and_revoking_what_is_not_are_ok_and_change_nothing) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kOwner}).ok());
  State before = Observe();
  EXPECT_EQ(Do(op::Grant{kAlice, c1, kBob, Role::kOwner}), Ok());
  EXPECT_EQ(Do(op::Revoke{kAlice, c1, kCarol, Role::kController}), Ok());
  EXPECT_EQ(Do(op::Grant{kAlice, c1, kAlice, Role::kOwner}), Ok());
  EXPECT_EQ(Observe(), before);
}

TEST_P(Access, A2_revoking_the_last_owner_is_conflict) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::Revoke{kAlice, c1, kAlice, Role::kOwner}), Err(Code::kConflict));
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kOwner}).ok());
  EXPECT_EQ(Do(op::Revoke{kAlice, c1, kAlice, Role::kOwner}), Ok());
  EXPECT_EQ(Do(op::Revoke{kBob, c1, kBob, Role::kOwner}), Err(Code::kConflict));
  EXPECT_EQ(Observe()[0].owners, std::vector<std::string>{kBob});
}

TEST_P(Access, A2_anonymous_principal_cannot_hold_a_role) {
  CapsuleRef c1 = NewCapsule(kAlice);
  const std::string anon(kAnonymous);
  EXPECT_EQ(Do(op::Grant{kAlice, c1, anon, Role::kController}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::Grant{kAlice, c1, anon, Role::kOwner}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::Revoke{kAlice, c1, anon, Role::kOwner}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::Grant{kAlice, c1, "", Role::kOwner}), Err(Code::kInvalidArgument));
}

TEST_P(Access, A2_revoked_controller_loses_access) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  ASSERT_TRUE(Do(op::ListMemories{kBob, c1}).ok());
  ASSERT_TRUE(Do(op::Revoke{kAlice, c1, kBob, Role::kController}).ok());
  EXPECT_EQ(Do(op::ListMemories{kBob, c1}), Err(Code::kUnauthorized));
}

TEST_P(Checks, G2_unknown_capsule_is_not_found_for_every_capsule_operation) {
  const CapsuleRef nowhere{7};
  EXPECT_EQ(Do(op::CreateMemory{kAlice, nowhere, kPhoto, "k"}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::CreateGallery{kAlice, nowhere, kGallery1, {"g"}}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::CreateFolder{kAlice, nowhere, kFolder1, {"f", {}}}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::BeginUpload{kAlice, nowhere, 1, "k"}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::Grant{kAlice, nowhere, kBob, Role::kOwner}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::ListMemories{kAlice, nowhere}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::GetMemory{kAlice, nowhere, MemoryRef{1}}), Err(Code::kNotFound));
  // Even the anonymous caller: G2 comes before G3.
  EXPECT_EQ(Do(op::ListMemories{std::string(kAnonymous), nowhere}), Err(Code::kNotFound));
}

TEST_P(Checks, G3_unauthorized_caller_learns_nothing_about_keys_or_entities) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  ASSERT_TRUE(Do(op::CreateGallery{kAlice, c1, kGallery1, {"g"}}).ok());
  // The same answer whether or not the key, memory or gallery exists.
  EXPECT_EQ(Do(op::CreateMemory{kBob, c1, kPhoto, "k1"}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::CreateMemory{kBob, c1, kPhoto, "k2"}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::GetMemory{kBob, c1, m1}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::GetMemory{kBob, c1, MemoryRef{9}}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::CreateGallery{kBob, c1, kGallery1, {"g"}}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::CreateGallery{kBob, c1, kGallery2, {"g"}}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::BeginUpload{kBob, c1, 1, "k1"}), Err(Code::kUnauthorized));
}

TEST_P(Checks, G3_revoked_caller_retrying_a_recorded_key_is_unauthorized) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  NewMemory(kBob, c1, kPhoto, "k1");
  ASSERT_TRUE(Do(op::Revoke{kAlice, c1, kBob, Role::kController}).ok());
  // The access check comes before the idempotency lookup (G3 before G4).
  EXPECT_EQ(Do(op::CreateMemory{kBob, c1, kPhoto, "k1"}), Err(Code::kUnauthorized));
}

IDEMCHECK_SCENARIO_SUITE(Capsules);
IDEMCHECK_SCENARIO_SUITE(Access);
IDEMCHECK_SCENARIO_SUITE(Checks);

}  // namespace
}  // namespace idemcheck::testing
