// Chunked uploads: idempotent on (capsule, caller, key) (U1-U6).

#include <string>

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using Uploads = Scenario;

const std::string kChunk0 = "hello ";
const std::string kChunk1 = "world";
const uint64_t kTotal = kChunk0.size() + kChunk1.size();
const uint64_t kDigest = Fnv1a64(kChunk1, Fnv1a64(kChunk0));

TEST_P(Uploads, U1_same_key_same_expected_returns_the_same_session) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 2, "up1");
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 2, "up1"}), Ok(u1));
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 3, "up1"}), Err(Code::kConflict));
  // Another caller or another capsule is another key.
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  EXPECT_NE(Do(op::BeginUpload{kBob, c1, 2, "up1"}), Ok(u1));
}

TEST_P(Uploads, U1_replay_never_resets_received_chunks_and_works_after_commit) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 2, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  ASSERT_EQ(Do(op::BeginUpload{kAlice, c1, 2, "up1"}), Ok(u1));
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk1}), Ok());
  Outcome blob = Do(op::FinishUpload{kAlice, u1, kTotal, kDigest});
  ASSERT_TRUE(blob.ok()) << blob;
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 2, "up1"}), Ok(u1));
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kTotal, kDigest}), blob);
}

TEST_P(Uploads, U1_empty_key_always_begins_a_new_session) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_NE(NewSession(kAlice, c1, 1), NewSession(kAlice, c1, 1));
}

TEST_P(Uploads, U1_expected_chunks_out_of_range_is_invalid) {
  CapsuleRef c1 = NewCapsule(kAlice);
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 0, "k"}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, limits().max_expected_chunks + 1, "k"}),
            Err(Code::kInvalidArgument));
  EXPECT_TRUE(Do(op::BeginUpload{kAlice, c1, limits().max_expected_chunks, "k"}).ok());
}

TEST_P(Uploads, U2_pending_sessions_are_limited_per_capsule_and_caller) {
  Limits small;
  small.max_pending_sessions = 3;
  UseLimits(small);
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  SessionRef first = NewSession(kAlice, c1, 1, "a");
  NewSession(kAlice, c1, 1, "b");
  NewSession(kAlice, c1, 1);
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, "d"}), Err(Code::kResourceExhausted));
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, ""}), Err(Code::kResourceExhausted));
  // A replay is not a new session; another capsule has its own count.
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, "a"}), Ok(first));
  NewSession(kAlice, c2, 1, "d");
  // Committing or aborting frees a place.
  ASSERT_EQ(Do(op::AbortUpload{kAlice, first}), Ok());
  NewSession(kAlice, c1, 1, "d");
}

TEST_P(Uploads, U2_expired_sessions_free_their_place) {
  Limits small;
  small.max_pending_sessions = 1;
  UseLimits(small);
  CapsuleRef c1 = NewCapsule(kAlice);
  NewSession(kAlice, c1, 1, "a");
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, "b"}), Err(Code::kResourceExhausted));
  ASSERT_TRUE(Do(op::AdvanceClock{limits().session_ttl_seconds}).ok());
  NewSession(kAlice, c1, 1, "b");
}

TEST_P(Uploads, U3_put_chunk_checks_session_then_caller_then_index) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  SessionRef u1 = NewSession(kAlice, c1, 2, "up1");
  EXPECT_EQ(Do(op::PutChunk{kAlice, SessionRef{9}, 0, kChunk0}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::PutChunk{kBob, u1, 0, kChunk0}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::PutChunk{kBob, u1, 5, kChunk0}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 2, kChunk0}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, ""}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, std::string(limits().max_chunk_bytes + 1, 'x')}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, std::string(limits().max_chunk_bytes, 'x')}), Ok());
}

TEST_P(Uploads, U3_caller_who_lost_write_access_is_unauthorized) {
  CapsuleRef c1 = NewCapsule(kAlice);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  SessionRef u1 = NewSession(kBob, c1, 1, "up1");
  ASSERT_TRUE(Do(op::Revoke{kAlice, c1, kBob, Role::kController}).ok());
  EXPECT_EQ(Do(op::PutChunk{kBob, u1, 0, kChunk0}), Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::FinishUpload{kBob, u1, kChunk0.size(), Fnv1a64(kChunk0)}),
            Err(Code::kUnauthorized));
  EXPECT_EQ(Do(op::AbortUpload{kBob, u1}), Err(Code::kUnauthorized));
  // Nothing changed: once access is back, the session is as it was.
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  EXPECT_EQ(Do(op::FinishUpload{kBob, u1, kChunk0.size(), Fnv1a64(kChunk0)}),
            Err(Code::kInvalidArgument));
}

TEST_P(Uploads, U3_exact_repeats_succeed_and_differences_conflict_also_after_commit) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 2, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk1}), Err(Code::kConflict));
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk1}), Ok());
  ASSERT_TRUE(Do(op::FinishUpload{kAlice, u1, kTotal, kDigest}).ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk1}), Ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk0}), Err(Code::kConflict));
}

TEST_P(Uploads, U3_new_index_after_commit_is_conflict) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 1, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  ASSERT_TRUE(Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)}).ok());
  // Index 1 is out of range, which is checked before the commit state.
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk0}), Err(Code::kInvalidArgument));
  SessionRef u2 = NewSession(kAlice, c1, 2, "up2");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u2, 0, kChunk0}), Ok());
  ASSERT_EQ(Do(op::PutChunk{kAlice, u2, 1, kChunk1}), Ok());
  ASSERT_TRUE(Do(op::FinishUpload{kAlice, u2, kTotal, kDigest}).ok());
  SessionRef u3 = NewSession(kAlice, c1, 2, "up3");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u3, 0, kChunk0}), Ok());
  ASSERT_EQ(Do(op::PutChunk{kAlice, u3, 1, kChunk1}), Ok());
  ASSERT_TRUE(Do(op::FinishUpload{kAlice, u3, kTotal, kDigest}).ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u3, 0, kChunk1}), Err(Code::kConflict));
}

TEST_P(Uploads, U4_finish_checks_chunks_length_and_digest_and_stays_pending) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 2, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 1, kChunk1}), Ok());
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kTotal, kDigest}), Err(Code::kInvalidArgument));
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kTotal + 1, kDigest}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kTotal, kDigest ^ 1}), Err(Code::kInvalidArgument));
  // Digest over the chunks in index order, not arrival order.
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kTotal, Fnv1a64(kChunk0, Fnv1a64(kChunk1))}),
            Err(Code::kInvalidArgument));
  // Each refusal left the session pending: the right claim now commits it.
  Outcome blob = Do(op::FinishUpload{kAlice, u1, kTotal, kDigest});
  ASSERT_TRUE(blob.ok()) << blob;
  EXPECT_TRUE(std::holds_alternative<BlobRef>(blob.value));
}

TEST_P(Uploads, U4_committed_retry_returns_the_same_blob_and_others_conflict) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 1, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  Outcome blob = Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)});
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)}), blob);
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kChunk0.size() + 1, Fnv1a64(kChunk0)}),
            Err(Code::kConflict));
  // Two sessions with the same bytes still get two blobs.
  SessionRef u2 = NewSession(kAlice, c1, 1, "up2");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u2, 0, kChunk0}), Ok());
  EXPECT_NE(Do(op::FinishUpload{kAlice, u2, kChunk0.size(), Fnv1a64(kChunk0)}), blob);
}

TEST_P(Uploads, U5_abort_releases_pending_and_refuses_committed) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 1, "up1");
  ASSERT_EQ(Do(op::AbortUpload{kAlice, u1}), Ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::AbortUpload{kAlice, u1}), Err(Code::kNotFound));
  SessionRef u2 = NewSession(kAlice, c1, 1, "up1");  // the key was released
  EXPECT_NE(u1, u2);
  ASSERT_EQ(Do(op::PutChunk{kAlice, u2, 0, kChunk0}), Ok());
  ASSERT_TRUE(Do(op::FinishUpload{kAlice, u2, kChunk0.size(), Fnv1a64(kChunk0)}).ok());
  EXPECT_EQ(Do(op::AbortUpload{kAlice, u2}), Err(Code::kConflict));
}

TEST_P(Uploads, U6_pending_session_expires_at_ttl_and_releases_its_key) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 1, "up1");
  ASSERT_TRUE(Do(op::AdvanceClock{limits().session_ttl_seconds - 1}).ok());
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, "up1"}), Ok(u1));
  ASSERT_TRUE(Do(op::AdvanceClock{1}).ok());
  EXPECT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, 0, 0}), Err(Code::kNotFound));
  EXPECT_EQ(Do(op::AbortUpload{kAlice, u1}), Err(Code::kNotFound));
  SessionRef u2 = NewSession(kAlice, c1, 3, "up1");
  EXPECT_NE(u1, u2);
}

TEST_P(Uploads, U6_committed_session_record_follows_retention_from_begin) {
  CapsuleRef c1 = NewCapsule(kAlice);
  SessionRef u1 = NewSession(kAlice, c1, 1, "up1");
  ASSERT_EQ(Do(op::PutChunk{kAlice, u1, 0, kChunk0}), Ok());
  Outcome blob = Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)});
  ASSERT_TRUE(blob.ok());
  // Past the TTL a committed session neither expires nor forgets its key.
  ASSERT_TRUE(Do(op::AdvanceClock{limits().retention_seconds - 1}).ok());
  EXPECT_EQ(Do(op::BeginUpload{kAlice, c1, 1, "up1"}), Ok(u1));
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)}), blob);
  ASSERT_TRUE(Do(op::AdvanceClock{1}).ok());
  EXPECT_NE(Do(op::BeginUpload{kAlice, c1, 1, "up1"}), Ok(u1));
  // The committed session itself remains: its exact retries still succeed.
  EXPECT_EQ(Do(op::FinishUpload{kAlice, u1, kChunk0.size(), Fnv1a64(kChunk0)}), blob);
}

IDEMCHECK_SCENARIO_SUITE(Uploads);

}  // namespace
}  // namespace idemcheck::testing
