// MutateRecords: whatever it does, the result is the setup byte and whole records within the
// size limits, it is deterministic in its seed, and its strategies all occur.

#include "fuzz/record_mutator.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz/decoder.h"
#include "gtest/gtest.h"
#include "idemcheck/printer.h"

namespace idemcheck::fuzz {
namespace {

// Stands in for libFuzzer: adds one to every byte.
size_t AddOne(uint8_t* data, size_t size, size_t) {
  for (size_t i = 0; i < size; ++i) ++data[i];
  return size;
}

std::string Mutated(const std::string& input, size_t max_size, unsigned int seed) {
  std::vector<uint8_t> buffer(std::max(max_size, input.size()));
  std::copy(input.begin(), input.end(), buffer.begin());
  const size_t size = MutateRecords(buffer.data(), input.size(), max_size, seed, &AddOne);
  return std::string(buffer.begin(), buffer.begin() + size);
}

const std::string kFive = std::string(1, '\0') + std::string(5 * kRecordBytes, '\x03');

TEST(RecordMutator, results_are_whole_records_within_the_limits) {
  for (unsigned int seed = 0; seed < 3000; ++seed) {
    for (size_t max_size : {kFive.size(), kFive.size() + 2, kMaxInputBytes, 4 * kMaxInputBytes}) {
      const std::string out = Mutated(kFive, max_size, seed);
      ASSERT_LE(out.size(), std::min(max_size, kMaxInputBytes));
      ASSERT_EQ((out.size() - 1) % kRecordBytes, 0u) << "seed " << seed;
    }
    const std::string from_empty = Mutated("", kMaxInputBytes, seed);
    ASSERT_GE(from_empty.size(), 1u);
    ASSERT_EQ((from_empty.size() - 1) % kRecordBytes, 0u);
  }
}

TEST(RecordMutator, the_same_seed_gives_the_same_mutation) {
  for (unsigned int seed = 0; seed < 200; ++seed) {
    EXPECT_EQ(Mutated(kFive, kMaxInputBytes, seed), Mutated(kFive, kMaxInputBytes, seed));
  }
}

TEST(RecordMutator, every_strategy_occurs) {
  std::set<size_t> sizes;
  bool marked = false;
  bool setup_changed = false;
  bool repeated = false;
  for (unsigned int seed = 0; seed < 2000; ++seed) {
    const std::string out = Mutated(kFive, kMaxInputBytes, seed);
    sizes.insert(out.size());
    const FuzzInput input = Decode(out);
    marked |= !input.faults.empty();
    setup_changed |= out[0] != kFive[0];
    // A repeat of an unchanged record makes six equal records.
    repeated |= out == std::string(1, '\0') + std::string(6 * kRecordBytes, '\x03');
  }
  EXPECT_TRUE(sizes.contains(kFive.size() - kRecordBytes));  // erased
  EXPECT_TRUE(sizes.contains(kFive.size()));                 // changed in place
  EXPECT_TRUE(sizes.contains(kFive.size() + kRecordBytes));  // inserted
  EXPECT_TRUE(marked);
  EXPECT_TRUE(setup_changed);
  EXPECT_TRUE(repeated);
}

TEST(RecordMutator, crossing_splices_whole_records_of_the_second_into_the_first) {
  const std::string second = std::string(1, '\x01') + std::string(4 * kRecordBytes, '\x07');
  bool spliced = false;
  for (unsigned int seed = 0; seed < 500; ++seed) {
    std::vector<uint8_t> out(kMaxInputBytes);
    const size_t size = CrossRecords(reinterpret_cast<const uint8_t*>(kFive.data()), kFive.size(),
                                     reinterpret_cast<const uint8_t*>(second.data()), second.size(),
                                     out.data(), out.size(), seed);
    ASSERT_EQ((size - 1) % kRecordBytes, 0u);
    ASSERT_EQ(out[0], kFive[0]) << "the setup byte is the first input's";
    size_t threes = 0;
    size_t sevens = 0;
    for (size_t i = 1; i < size; ++i) {
      threes += out[i] == 3 ? 1 : 0;
      sevens += out[i] == 7 ? 1 : 0;
    }
    ASSERT_EQ(threes, kFive.size() - 1) << "every record of the first input is kept";
    ASSERT_EQ(sevens % kRecordBytes, 0u);
    spliced |= sevens > 0;
  }
  EXPECT_TRUE(spliced);
}

}  // namespace
}  // namespace idemcheck::fuzz
