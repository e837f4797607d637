// The serve-options table: a config renders to exactly the flags its stage
// reads, and an option a stage would ignore is refused instead of dropped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coordinator/serve_options.h"

namespace lab::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ServeOptions, TheDefaultConfigNeedsNoFlags) {
  EXPECT_THAT(to_serve_args(StageConfig{}, 1), IsEmpty());
  EXPECT_THAT(to_serve_args(StageConfig{}, 2), IsEmpty());
}

TEST(ServeOptions, EachStageGetsOnlyTheFlagsItReads) {
  StageConfig c;
  c.threads = 2;
  c.idle_timeout = std::chrono::milliseconds(1500);
  c.prng_seed_bits = 20;
  c.disabled_controls = {"a", "b"};
  EXPECT_THAT(to_serve_args(c, 1), ElementsAre("--threads", "2", "--disable-control", "a", "--disable-control", "b"));
  EXPECT_THAT(to_serve_args(c, 2), ElementsAre("--threads", "2", "--disable-control", "a", "--disable-control", "b",
                                               "--idle-timeout-ms", "1500", "--narrow-prng-seed", "20"));
}

TEST(ServeOptions, AnOptionTheStageDoesNotReadIsRefusedWithTheStagesThatDo) {
  StageConfig c;
  c.idle_timeout = std::chrono::milliseconds(1500);
  EXPECT_TRUE(check_options_for_stage(c, 2).ok());
  const auto refused = check_options_for_stage(c, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "stage 1 does not read --idle-timeout-ms (only stages 2, 3, 4, 5 read it)");
  StageConfig bcrypt;
  bcrypt.bcrypt_cost = 5;
  EXPECT_EQ(check_options_for_stage(bcrypt, 3).error().message,
            "stage 3 does not read --bcrypt-cost (only stage 2 reads it)");
}

TEST(ServeOptions, EveryRowHasAFlagHelpAndSaneBounds) {
  for (const auto& row : serve_options()) {
    EXPECT_EQ(row.flag.substr(0, 2), "--") << row.flag;
    EXPECT_FALSE(row.help.empty()) << row.flag;
    EXPECT_LE(row.min, row.max) << row.flag;
  }
}

}  // namespace
}  // namespace lab::coordinator
