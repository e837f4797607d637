// The seed search behind recover-prng-seed, against std::mt19937_64 itself.
#include <gtest/gtest.h>

#include <random>

#include "attacks/mt19937_seed_search.h"
#include "core/uuid4.h"

namespace lab::attacks {
namespace {

TEST(SessionIdAt, IsTheUuidStage2MakesFromTwoConsecutiveOutputs) {
  std::mt19937_64 generator(123456789u);
  for (int index = 0; index < 4; ++index) {
    const std::uint64_t hi = generator();
    const std::uint64_t lo = generator();
    EXPECT_EQ(session_id_at(123456789u, index), format_uuid4(hi, lo)) << index;
  }
}

TEST(ParseUuid4, ReadsBackTheOutputsLessTheVersionAndVariantBits) {
  const auto parsed = parse_uuid4(format_uuid4(0x0123456789abcdefULL, 0xfedcba9876543210ULL));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->hi, 0x0123456789ab0defULL);
  EXPECT_EQ(parsed->lo, 0x3edcba9876543210ULL);
  EXPECT_FALSE(parse_uuid4("sess_12"));
  EXPECT_FALSE(parse_uuid4("0123456789abcdef0123456789abcdef0123"));
  EXPECT_FALSE(parse_uuid4("01234567-89ab-1def-8123-456789abcdef")) << "version 1, not 4";
}

TEST(RecoverSeed, FindsTheSeedAndPositionOfAnIdFromOneObservation) {
  const std::uint32_t seed = 0x2b7e1;  // inside a 20-bit space
  const auto observed = parse_uuid4(session_id_at(seed, 5));
  ASSERT_TRUE(observed);
  const auto found = recover_seed(*observed, SeedSearch{.seed_space = 1u << 20, .max_index = 16, .threads = 2});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->seed, seed);
  EXPECT_EQ(found->index, 5);
  EXPECT_EQ(session_id_at(found->seed, 6), session_id_at(seed, 6)) << "and so every later id";
}

TEST(RecoverSeed, FindsNothingForAnIdNoSeedInTheSpaceProduced) {
  const auto observed = parse_uuid4(session_id_at(0xfffff, 40));  // position beyond the search
  ASSERT_TRUE(observed);
  EXPECT_FALSE(recover_seed(*observed, SeedSearch{.seed_space = 1u << 16, .max_index = 16, .threads = 2}));
}

}  // namespace
}  // namespace lab::attacks
