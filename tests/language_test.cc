// The operation language itself: value validators (the formats of SEMANTICS.md "Values"), the
// upload digest, and the printer.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/ops.h"
#include "idemcheck/printer.h"
#include "idemcheck/values.h"

namespace idemcheck {
namespace {

TEST(Values, G1_principal_format) {
  EXPECT_TRUE(IsValidPrincipal("alice"));
  EXPECT_TRUE(IsValidPrincipal(kAnonymous));
  EXPECT_TRUE(IsValidPrincipal(std::string(63, 'p')));
  EXPECT_TRUE(IsValidPrincipal("with space"));
  EXPECT_FALSE(IsValidPrincipal(""));
  EXPECT_FALSE(IsValidPrincipal(std::string(64, 'p')));
  EXPECT_FALSE(IsValidPrincipal("tab\t"));
  EXPECT_FALSE(IsValidPrincipal("\x7f"));
  EXPECT_FALSE(IsValidPrincipal("caf\xc3\xa9"));
}

TEST(Values, G1_idempotency_key_format) {
  EXPECT_TRUE(IsValidIdemKey(""));
  EXPECT_TRUE(IsValidIdemKey("!"));
  EXPECT_TRUE(IsValidIdemKey("~"));
  EXPECT_TRUE(IsValidIdemKey(std::string(255, 'k')));
  EXPECT_FALSE(IsValidIdemKey(std::string(256, 'k')));
  EXPECT_FALSE(IsValidIdemKey(" "));
  EXPECT_FALSE(IsValidIdemKey(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidIdemKey("\x7f"));
  EXPECT_FALSE(IsValidIdemKey("\x80"));
}

TEST(Values, G1_uuid_format) {
  EXPECT_TRUE(IsValidUuid("01234567-89ab-cdef-0123-456789abcdef"));
  EXPECT_FALSE(IsValidUuid("01234567-89AB-cdef-0123-456789abcdef"));
  EXPECT_FALSE(IsValidUuid("0123456789ab-cdef-0123-456789abcdef-"));
  EXPECT_FALSE(IsValidUuid("01234567-89ab-cdef-0123-456789abcde"));
  EXPECT_FALSE(IsValidUuid("{1234567-89ab-cdef-0123-456789abcdef"));
  EXPECT_FALSE(IsValidUuid(""));
}

TEST(Values, U4_digest_is_fnv1a_64_and_chains) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(Fnv1a64("bar", Fnv1a64("foo")), Fnv1a64("foobar"));
}

TEST(Printer, prints_ops_with_symbolic_ids_and_marks_new_ones) {
  std::vector<Op> ops = {
      op::CreateCapsule{"alice", "alice"},
      op::CreateMemory{"alice", CapsuleRef{1}, {"a", "xyz"}, "k1"},
      op::CreateMemory{"alice", CapsuleRef{1}, {"a", "xyz"}, "k1"},
      op::CreateMemory{"alice", CapsuleRef{1}, {"b", "xyz"}, "k1"},
      op::AdvanceClock{86400},
  };
  std::vector<Outcome> outcomes = {{.value = CapsuleRef{1}},
                                   {.value = MemoryRef{1}},
                                   {.value = MemoryRef{1}},
                                   {.code = Code::kConflict},
                                   {}};
  EXPECT_EQ(FormatSequence(ops, outcomes),
            "   1.  c1 = CreateCapsule(alice, subject alice) -> Ok(c1)\n"
            "   2.  m1 = CreateMemory(alice, c1, {title \"a\", content \"xyz\"}, key \"k1\") "
            "-> Ok(m1)\n"
            "   3.       CreateMemory(alice, c1, {title \"a\", content \"xyz\"}, key \"k1\") "
            "-> Ok(m1)\n"
            "   4.       CreateMemory(alice, c1, {title \"b\", content \"xyz\"}, key \"k1\") "
            "-> Conflict\n"
            "   5.       AdvanceClock(86400s) -> Ok\n");
  // Steps without outcomes print without an arrow.
  const std::string partial = FormatSequence(ops, std::span<const Outcome>(outcomes.data(), 1));
  EXPECT_EQ(partial.substr(partial.find('\n') + 1),
            "   2.       CreateMemory(alice, c1, {title \"a\", content \"xyz\"}, key \"k1\")\n"
            "   3.       CreateMemory(alice, c1, {title \"a\", content \"xyz\"}, key \"k1\")\n"
            "   4.       CreateMemory(alice, c1, {title \"b\", content \"xyz\"}, key \"k1\")\n"
            "   5.       AdvanceClock(86400s)\n");
}

TEST(Printer, escapes_and_shortens_strings) {
  const std::string long_key(255, 'k');
  EXPECT_EQ(ToString(Op{op::CreateMemory{"bob smith", CapsuleRef{2}, {"t\"q", "a\nb"}, ""}}),
            "CreateMemory(\"bob smith\", c2, {title \"t\\\"q\", content \"a\\x0ab\"}, no key)");
  EXPECT_EQ(ToString(Op{op::BeginUpload{"alice", CapsuleRef{1}, 3, long_key}}),
            "BeginUpload(alice, c1, 3 chunks, key \"" + std::string(24, 'k') + "\"...(255 bytes))");
  // Long payloads differ in print when they differ in bytes.
  const std::string a(100, 'a');
  std::string b = a;
  b.back() = 'b';
  EXPECT_NE(ToString(Op{op::PutChunk{"alice", SessionRef{1}, 0, a}}),
            ToString(Op{op::PutChunk{"alice", SessionRef{1}, 0, b}}));
}

TEST(Printer, prints_outcomes) {
  EXPECT_EQ(ToString(Outcome{.code = Code::kUnauthorized}), "Unauthorized");
  EXPECT_EQ(ToString(Outcome{}), "Ok");
  EXPECT_EQ(ToString(Outcome{.value = BlobRef{3}}), "Ok(b3)");
  EXPECT_EQ(ToString(Outcome{.value = std::vector<MemoryEntry>{{MemoryRef{1}, {"a", "b"}}}}),
            "Ok([m1 {title \"a\", content \"b\"}])");
}

}  // namespace
}  // namespace idemcheck
