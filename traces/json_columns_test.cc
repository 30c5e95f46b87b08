#include "traces/json_columns.h"

#include <string>

#include "gtest/gtest.h"

namespace idemcheck::traces {
namespace {

TEST(JsonColumns, MembersAreLocatedAtTheirName) {
  //                       1234567890123456789012345
  const std::string line = R"({"op": "Grant", "capsule": 3})";
  EXPECT_EQ(ColumnOf(line, {"op"}), 2u);
  EXPECT_EQ(ColumnOf(line, {"capsule"}), 17u);
}

TEST(JsonColumns, NestedMembersAndArrayElements) {
  //                       1234567890123456789012345678901234567890
  const std::string line = R"({"outcome": {"value": [{"id": 1}, {"id": 2}]}})";
  EXPECT_EQ(ColumnOf(line, {"outcome"}), 2u);
  EXPECT_EQ(ColumnOf(line, {"outcome", "value"}), 14u);
  EXPECT_EQ(ColumnOf(line, {"outcome", "value", "0"}), 24u);
  EXPECT_EQ(ColumnOf(line, {"outcome", "value", "1"}), 35u);
  EXPECT_EQ(ColumnOf(line, {"outcome", "value", "1", "id"}), 36u);
}

TEST(JsonColumns, PrimitiveArrayElementsStartAtTheirFirstByte) {
  //                       123456789012345678901234567
  const std::string line = R"({"a": [12, "x\"y", true, 7]})";
  EXPECT_EQ(ColumnOf(line, {"a", "0"}), 8u);
  EXPECT_EQ(ColumnOf(line, {"a", "1"}), 12u);
  EXPECT_EQ(ColumnOf(line, {"a", "2"}), 20u);
  EXPECT_EQ(ColumnOf(line, {"a", "3"}), 26u);
}

TEST(JsonColumns, NamesWithEscapedQuotesAndBackslashes) {
  //                       12345678901234567890123
  const std::string line = R"({"a\\": 1, "b\"c": 2})";
  EXPECT_EQ(ColumnOf(line, {"a\\"}), 2u);
  EXPECT_EQ(ColumnOf(line, {"b\"c"}), 12u);
}

TEST(JsonColumns, TheRootIsItsFirstByte) {
  EXPECT_EQ(ColumnOf("   [1, 2]", {}), 4u);
  EXPECT_EQ(ColumnOf("  17", {}), 3u);
}

TEST(JsonColumns, AbsentPathsAndBrokenTextGiveColumnOne) {
  EXPECT_EQ(ColumnOf(R"({"a": 1})", {"b"}), 1u);
  EXPECT_EQ(ColumnOf(R"({"a": 1)", {"b"}), 1u);
  EXPECT_EQ(ColumnOf("", {}), 1u);
  // A value before the break is still found.
  EXPECT_EQ(ColumnOf(R"({"a": 1, "b": )", {"b"}), 10u);
}

}  // namespace
}  // namespace idemcheck::traces
