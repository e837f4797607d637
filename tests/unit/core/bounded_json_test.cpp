// Nesting depth is bounded where JSON from a peer or from disk is parsed:
// a deep document is refused before any recursive copy or dump can see it.
#include <gtest/gtest.h>

#include <string>

#include "core/bounded_json.h"

namespace lab {
namespace {

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonNestingDepth, CountsArraysAndObjectsButNotBracketsInStrings) {
  EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":[]}]})", 100), 4);
  EXPECT_EQ(json_nesting_depth(R"({"a":"[[[[{{{{"})", 100), 1);
  EXPECT_EQ(json_nesting_depth(R"({"a":"\"[[[[\\"})", 100), 1) << "an escaped quote does not end the string";
  EXPECT_EQ(json_nesting_depth("42", 100), 0);
}

TEST(JsonNestingDepth, StopsScanningOnceTheBoundIsPassed) {
  EXPECT_EQ(json_nesting_depth(nested_arrays(1'000'000), 64), 65);
}

TEST(ParseJsonBounded, AcceptsTheBoundAndRefusesOneLevelMore) {
  EXPECT_EQ(parse_json_bounded(nested_arrays(kMaxJsonDepth)).status, JsonParseStatus::kOk);
  EXPECT_EQ(parse_json_bounded(nested_arrays(kMaxJsonDepth + 1)).status, JsonParseStatus::kTooDeep);
}

TEST(ParseJsonBounded, ATooDeepDocumentKeepsOnlyItsTopLevelScalars) {
  const std::string text =
      R"({"request_id":"r7","n":3,"payload":{"x":)" + nested_arrays(200'000) + R"(},"type":"get_project"})";
  const auto parsed = parse_json_bounded(text);
  ASSERT_EQ(parsed.status, JsonParseStatus::kTooDeep);
  EXPECT_EQ(parsed.value, (Json{{"request_id", "r7"}, {"n", 3}, {"type", "get_project"}}));
  EXPECT_TRUE(parse_json_bounded(nested_arrays(100)).value.is_null()) << "not an object: nothing kept";
}

TEST(ParseJsonBounded, MalformedStaysMalformedWhateverItsDepth) {
  EXPECT_EQ(parse_json_bounded("{\"a\":").status, JsonParseStatus::kMalformed);
  EXPECT_EQ(parse_json_bounded(std::string(100'000, '[')).status, JsonParseStatus::kMalformed);
  EXPECT_EQ(parse_json_bounded("[" + nested_arrays(100) + ",]").status, JsonParseStatus::kMalformed);
}

}  // namespace
}  // namespace lab
