// Memories: idempotent on (capsule, caller, key) (M1-M9), argument checks (G1), the order of
// checks (G4) and errors that change nothing (G5).

#include <string>

#include "gtest/gtest.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

using Memory = Scenario;

TEST_P(Memory, M1_create_returns_an_id_and_the_memory_reads_back) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  EXPECT_EQ(Do(op::GetMemory{kAlice, c1, m1}), Ok(kPhoto));
  EXPECT_EQ(Do(op::ListMemories{kAlice, c1}), Ok(std::vector<MemoryEntry>{{m1, kPhoto}}));
}

TEST_P(Memory, M2_empty_key_always_creates_and_never_shares_an_id) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef a = NewMemory(kAlice, c1, kPhoto, "");
  MemoryRef b = NewMemory(kAlice, c1, kPhoto, "");
  EXPECT_NE(a, b);
  EXPECT_EQ(Observe()[0].memories.size(), 2u);
}

TEST_P(Memory, M3_new_key_creates_with_a_fresh_id) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef a = NewMemory(kAlice, c1, kPhoto, "k1");
  MemoryRef b = NewMemory(kAlice, c1, kPhoto, "k2");
  EXPECT_NE(a, b);
}

TEST_P(Memory, M4_same_key_same_payload_returns_the_recorded_id_and_inserts_nothing) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  State before = Observe();
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));
  EXPECT_EQ(Observe(), before);
}

TEST_P(Memory, M5_same_key_different_payload_is_conflict_and_changes_nothing) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  State before = Observe();
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "k1"}), Err(Code::kConflict));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, {kPhoto.title, "other"}, "k1"}), Err(Code::kConflict));
  EXPECT_EQ(Observe(), before);
  // The record still answers with the original payload.
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));
}

TEST_P(Memory, M6_same_key_in_another_capsule_or_by_another_caller_is_another_key) {
  CapsuleRef c1 = NewCapsule(kAlice);
  CapsuleRef c2 = NewCapsule(kAlice, kBob);
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  MemoryRef in_c1 = NewMemory(kAlice, c1, kPhoto, "k1");
  MemoryRef in_c2 = NewMemory(kAlice, c2, kPhoto, "k1");
  MemoryRef bobs = NewMemory(kBob, c1, kPhoto, "k1");
  EXPECT_NE(in_c1, in_c2);
  EXPECT_NE(in_c1, bobs);
  EXPECT_NE(in_c2, bobs);
  // And a different payload under another scope is not a conflict.
  EXPECT_TRUE(Do(op::CreateMemory{kBob, c1, kNote, "k2"}).ok());
  EXPECT_TRUE(Do(op::CreateMemory{kAlice, c1, kNote, "k2"}).ok());
}

TEST_P(Memory, M7_retry_after_delete_returns_the_original_id_without_resurrecting) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  ASSERT_EQ(Do(op::DeleteMemory{kAlice, c1, m1}), Ok());
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));
  EXPECT_EQ(Do(op::GetMemory{kAlice, c1, m1}), Err(Code::kNotFound));
  EXPECT_TRUE(Observe()[0].memories.empty());
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "k1"}), Err(Code::kConflict));
}

TEST_P(Memory, M8_record_expires_exactly_at_created_at_plus_retention) {
  CapsuleRef c1 = NewCapsule(kAlice);
  MemoryRef m1 = NewMemory(kAlice, c1, kPhoto, "k1");
  const uint64_t retention = limits().retention_seconds;
  ASSERT_TRUE(Do(op::AdvanceClock{retention - 1}).ok());
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "k1"}), Ok(m1));  // still live
  ASSERT_TRUE(Do(op::AdvanceClock{1}).ok());
  // At the instant of expiry the key is new again: a fresh memory, and the old one stays.
  MemoryRef fresh = NewMemory(kAlice, c1, kPhoto, "k1");
  EXPECT_NE(fresh, m1);
  EXPECT_EQ(Observe()[0].memories.size(), 2u);
  // The new record is live from now on.
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "k1"}), Err(Code::kConflict));
}

TEST_P(Memory, M8_expired_record_frees_the_key_for_a_different_payload) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, kPhoto, "k1");
  ASSERT_TRUE(Do(op::AdvanceClock{limits().retention_seconds}).ok());
  EXPECT_TRUE(Do(op::CreateMemory{kAlice, c1, kNote, "k1"}).ok());
}

TEST_P(Memory, M9_same_payload_means_byte_equal) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, {"ab", "c"}, "k1");
  // Same concatenation, other split between title and content.
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, {"a", "bc"}, "k1"}), Err(Code::kConflict));
  // Differences after an embedded NUL, and in the last byte of a long content.
  NewMemory(kAlice, c1, {"t", std::string("x\0y", 3)}, "k2");
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, {"t", std::string("x\0z", 3)}, "k2"}),
            Err(Code::kConflict));
  std::string big(limits().max_content_bytes, 'q');
  NewMemory(kAlice, c1, {"t", big}, "k3");
  big.back() = 'r';
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, {"t", big}, "k3"}), Err(Code::kConflict));
}

TEST_P(Memory, G1_invalid_arguments_are_invalid_and_change_nothing) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, kPhoto, "k1");
  State before = Observe();
  const std::string too_long_key(256, 'k');
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, too_long_key}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "has space"}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "tab\t"}), Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{kAlice, c1, kPhoto, "\x7f"}), Err(Code::kInvalidArgument));
  EXPECT_EQ(
      Do(op::CreateMemory{kAlice, c1, {std::string(limits().max_title_bytes + 1, 't'), ""}, "k2"}),
      Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{
                kAlice, c1, {"t", std::string(limits().max_content_bytes + 1, 'c')}, "k2"}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{"", c1, kPhoto, "k2"}), Err(Code::kInvalidArgument));
  // G1 comes first: a bad argument on an unknown capsule is still InvalidArgument.
  EXPECT_EQ(Do(op::CreateMemory{kAlice, CapsuleRef{9}, kPhoto, too_long_key}),
            Err(Code::kInvalidArgument));
  EXPECT_EQ(Observe(), before);
}

TEST_P(Memory, G1_limits_are_inclusive) {
  CapsuleRef c1 = NewCapsule(kAlice);
  const std::string longest_key(255, '~');
  EXPECT_TRUE(Do(op::CreateMemory{kAlice,
                                  c1,
                                  {std::string(limits().max_title_bytes, 't'),
                                   std::string(limits().max_content_bytes, 'c')},
                                  longest_key})
                  .ok());
  EXPECT_TRUE(Do(op::CreateMemory{kAlice, c1, {"", ""}, "!"}).ok());
}

TEST_P(Memory, G4_idempotency_lookup_follows_validation_and_access) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, kPhoto, "k1");
  // A replay with an argument that is now invalid is still InvalidArgument.
  EXPECT_EQ(
      Do(op::CreateMemory{
          kAlice, c1, {kPhoto.title, std::string(limits().max_content_bytes + 1, 'c')}, "k1"}),
      Err(Code::kInvalidArgument));
  EXPECT_EQ(Do(op::CreateMemory{kCarol, c1, kPhoto, "k1"}), Err(Code::kUnauthorized));
}

TEST_P(Memory, G5_failed_create_leaves_no_record_behind) {
  CapsuleRef c1 = NewCapsule(kAlice);
  NewMemory(kAlice, c1, kPhoto, "k1");
  ASSERT_EQ(Do(op::CreateMemory{kAlice, c1, kNote, "k1"}), Err(Code::kConflict));
  ASSERT_EQ(Do(op::CreateMemory{kBob, c1, kNote, "k9"}), Err(Code::kUnauthorized));
  // Had the unauthorized call stored a record, bob's later create (once granted) would replay it.
  ASSERT_TRUE(Do(op::Grant{kAlice, c1, kBob, Role::kController}).ok());
  MemoryRef bobs = NewMemory(kBob, c1, kPhoto, "k9");
  EXPECT_EQ(Observe()[0].memories.back().id, bobs);
  EXPECT_EQ(Observe()[0].memories.size(), 2u);
}

IDEMCHECK_SCENARIO_SUITE(Memory);

}  // namespace
}  // namespace idemcheck::testing
