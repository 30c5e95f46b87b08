// Behaviours of the original backend's own test suite, re-expressed as scenarios. Where the
// original silently returned the first memory for a reused key with another payload, the
// contract says Conflict (M5).

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using OriginalSystem = Scenario;

TEST_P(OriginalSystem, M1_inline_create_succeeds) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_TRUE(Do(op::CreateMemory{kAlice, c1, {"inline", "small content"}, "req-1"}).ok());
}

TEST_P(OriginalSystem, G2_create_in_unknown_capsule_is_not_found) {
  EXPECT_EQ(Do(op::CreateMemory{kAlice, CapsuleRef{1}, kPhoto, "req-1"}), Err(Code::kNotFound));
}

TEST_P(OriginalSystem, G1_content_over_the_limit_is_invalid) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::CreateMemory{
                kAlice, c1, {"big", std::string(limits().max_content_bytes + 1, 'x')}, "req-1"}),
            Err(Code::kInvalidArgument));
}

TEST_P(OriginalSystem, M4_same_key_twice_gives_one_memory_and_one_id) {
  CapsuleRef c1 = NewCapsule(kAlice);
  Outcome first = Do(op::CreateMemory{kAlice, c1, kPhoto, "req-1"});
  Outcome second = Do(op::CreateMemory{kAlice, c1, kPhoto, "req-1"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first, second);
  EXPECT_EQ(Observe()[0].memories.size(), 1u);
}

TEST_P(OriginalSystem, C1_self_capsule_created_twice_is_the_same_capsule) {
  EXPECT_EQ(Do(op::CreateCapsule{kAlice, kAlice}), Do(op::CreateCapsule{kAlice, kAlice}));
  EXPECT_EQ(Observe().size(), 1u);
}

TEST_P(OriginalSystem, U1_upload_begin_twice_with_one_key_gives_one_session) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 4, "upload-1"}),
            Do(op::BeginUpload{kAlice, c1, 4, "upload-1"}));
}

TEST_P(OriginalSystem, U1_zero_expected_chunks_is_invalid) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 0, "upload-1"}), Err(Code::kInvalidArgument));
}

TEST_P(OriginalSystem, U3_chunk_for_unknown_session_is_not_found) {
  EXPECT_EQ(Do(op::PutChunk{kAlice, SessionRef{1}, 0, "bytes"}), Err(Code::kNotFound));
}

TEST_P(OriginalSystem, R2_second_delete_is_not_found) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1);
  EXPECT_EQ(Do(op::DeleteMemory{kAlice, c1, m1}), Ok());
  EXPECT_EQ(Do(op::DeleteMemory{kAlice, c1, m1}), Err(Code::kNotFound));
}

TEST_P(OriginalSystem, G3_non_owner_create_is_unauthorized) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::CreateMemory{kBob, c1, kPhoto, "req-1"}), Err(Code::kUnauthorized));
}

TEST_P(OriginalSystem, M5_reused_key_with_other_payload_is_conflict_not_the_first_memory) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, kPhoto, "req-1");
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "req-1"}), Err(Code::kConflict));
}

IDEMCHECK_SCENARIO_SUITE(OriginalSystem);

}  // namespace
}  // namespace idemcheck::testing
