// The workers' real work runs on peer-supplied input: arithmetic that would
// overflow or divide badly makes a case invalid, with a reason, never a crash.
#include <gtest/gtest.h>

#include "agents/work.h"

namespace lab::agents {
namespace {

Json only_case(std::string_view input) {
  const Json r = run_tests(input);
  EXPECT_EQ(r["cases"].size(), 1u) << r.dump();
  return r["cases"].empty() ? Json::object() : r["cases"][0];
}

TEST(RunTests, OrdinaryCasesPassAndFail) {
  const Json r = run_tests("2+3*4=14\n(1+2)*3=9\n10/3=4\n# comment\n");
  EXPECT_EQ(r["passed"], 2);
  EXPECT_EQ(r["failed"], 1);
  EXPECT_EQ(r["invalid"], 0);
}

TEST(RunTests, OverflowToTheMinimumThenDivisionByMinusOneIsInvalidNotACrash) {
  const Json c = only_case("549755813888*16777216/-1=0");
  EXPECT_EQ(c["verdict"], "invalid");
  EXPECT_EQ(c["reason"], "integer overflow");
}

TEST(RunTests, EveryOverflowingOperationIsCaught) {
  for (const char* input : {"9223372036854775807+1=0", "-9223372036854775807-2=0", "3037000500*3037000500=0",
                            "-(0-9223372036854775807-1)=0", "999999999999999999*10=0"}) {
    const Json c = only_case(input);
    EXPECT_EQ(c["verdict"], "invalid") << input;
    EXPECT_EQ(c["reason"], "integer overflow") << input;
  }
}

TEST(RunTests, InvalidCasesSayWhy) {
  EXPECT_EQ(only_case("1/0=0")["reason"], "division by zero");
  EXPECT_EQ(only_case("1+=2")["reason"], "expected a number at offset 2");
  EXPECT_EQ(only_case("1+2")["reason"], "no '=' between the expression and its expected value");
  EXPECT_EQ(only_case("99999999999999999999=0")["reason"], "integer overflow") << "a literal past 2^63-1";
  EXPECT_EQ(only_case(std::string(100, '(') + "1" + std::string(100, ')') + "=1")["reason"],
            "nested more than 64 levels");
}

TEST(RunTests, TheLimitsThemselvesStillWork) {
  EXPECT_EQ(only_case("-9223372036854775807-1=0-9223372036854775807-1")["verdict"], "pass");
  EXPECT_EQ(only_case("999999999999999999*9=8999999999999999991")["verdict"], "pass");
  EXPECT_EQ(only_case("9223372036854775807=9223372036854775807")["verdict"], "pass");
}

}  // namespace
}  // namespace lab::agents
