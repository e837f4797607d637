// Stage 2's input rules: each payload field within its limit passes, one byte
// (or one unit) over is refused with the field named, and a value of another
// type is left to the operation.
#include <gtest/gtest.h>

#include <string>

#include "stage2_improved/input_rules.h"

namespace lab::stage2 {
namespace {

std::string refusal(const Json& payload) {
  const auto s = check_lengths("any", payload);
  return s ? std::string() : s.error().message;
}

TEST(Stage2InputRulesTest, EachTextFieldIsRefusedOneByteOverItsLimit) {
  for (const auto& [field, max] : {std::pair{"name", kMaxNameBytes}, std::pair{"description", kMaxDescriptionBytes},
                                   std::pair{"input", kMaxInputBytes}, std::pair{"agent_id", std::size_t{64}},
                                   std::pair{"project_id", std::size_t{64}}, std::pair{"task_id", std::size_t{64}}}) {
    EXPECT_EQ(refusal(Json{{field, std::string(max, 'x')}}), "") << field;
    EXPECT_EQ(refusal(Json{{field, std::string(max + 1, 'x')}}),
              "payload." + std::string(field) + " is longer than " + std::to_string(max) + " bytes");
    EXPECT_EQ(refusal(Json{{field, 12345}}), "") << field << ": a number is the operation's to refuse";
  }
}

TEST(Stage2InputRulesTest, MetadataAndResultAreMeasuredAsJsonText) {
  const auto sized = [](std::size_t json_bytes) { return std::string(json_bytes - 2, 'x'); };  // the quotes count
  EXPECT_EQ(refusal(Json{{"metadata", sized(kMaxMetadataBytes)}}), "");
  EXPECT_EQ(refusal(Json{{"metadata", sized(kMaxMetadataBytes + 1)}}), "payload.metadata is larger than 16384 bytes");
  EXPECT_EQ(refusal(Json{{"result", Json{{"k", sized(kMaxResultBytes - 6)}}}}), "")
      << R"({"k":...} adds 6 bytes)";
  EXPECT_EQ(refusal(Json{{"result", Json{{"k", sized(kMaxResultBytes - 5)}}}}),
            "payload.result is larger than 65536 bytes");
}

TEST(Stage2InputRulesTest, PriorityIsKeptWithinItsRange) {
  EXPECT_EQ(refusal(Json{{"priority", 100}}), "");
  EXPECT_EQ(refusal(Json{{"priority", -100}}), "");
  EXPECT_EQ(refusal(Json{{"priority", 101}}), "payload.priority must be between -100 and 100");
  EXPECT_EQ(refusal(Json{{"priority", -101}}), "payload.priority must be between -100 and 100");
  EXPECT_EQ(refusal(Json{{"priority", "high"}}), "") << "a string priority is the operation's to refuse";
}

TEST(Stage2InputRulesTest, OfSeveralBreachesTheFirstInTheRuleOrderIsReported) {
  const Json payload{{"task_id", std::string(65, 't')},     // sorts last, ranks sixth
                     {"agent_id", std::string(65, 'a')},    // sorts first, ranks fourth
                     {"description", std::string(10'001, 'd')},  // ranks second
                     {"priority", 1000}};
  EXPECT_EQ(refusal(payload), "payload.description is longer than 10000 bytes");
  EXPECT_EQ(refusal(Json{{"unrelated", std::string(1'000'000, 'u')}}), "") << "only listed fields have limits";
}

}  // namespace
}  // namespace lab::stage2
