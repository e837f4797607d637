// Stage 3 session ids: unguessable, one canonical spelling, stored only as a hash.
#include "security/session_token.h"

#include <gtest/gtest.h>

#include <set>

namespace lab::security {
namespace {

TEST(SessionToken, IsFortyThreeUrlSafeCharactersAndRoundTrips) {
  const auto token = SessionToken::generate();
  const std::string wire = token.to_wire();
  ASSERT_EQ(wire.size(), SessionToken::kWireLength);
  EXPECT_EQ(wire.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  auto back = SessionToken::from_wire(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->to_wire(), wire);
  EXPECT_EQ(back->hash(), token.hash());
}

TEST(SessionToken, TenThousandTokensAreAllDifferentAndUseEveryBit) {
  std::set<std::string> seen;
  unsigned char any_bit_set[SessionToken::kSize] = {};
  for (int i = 0; i < 10'000; ++i) {
    const auto t = SessionToken::generate();
    seen.insert(t.to_wire());
    const auto h = t.hash();
    for (std::size_t b = 0; b < SessionIdHash::kSize; ++b) any_bit_set[b] |= h.bytes()[b];
  }
  EXPECT_EQ(seen.size(), 10'000u);
  for (unsigned char b : any_bit_set) EXPECT_EQ(b, 0xFF);
}

TEST(SessionToken, AnythingButTheCanonicalSpellingIsRefused) {
  const std::string wire = SessionToken::generate().to_wire();
  EXPECT_FALSE(SessionToken::from_wire("").ok());
  EXPECT_FALSE(SessionToken::from_wire(wire.substr(1)).ok());
  EXPECT_FALSE(SessionToken::from_wire(wire + "A").ok());
  EXPECT_FALSE(SessionToken::from_wire(wire.substr(0, 42) + "=").ok());
  EXPECT_FALSE(SessionToken::from_wire(wire.substr(0, 10) + "+" + wire.substr(11)).ok()) << "standard base64 '+'";
  EXPECT_FALSE(SessionToken::from_wire("sess_1").ok());
  EXPECT_FALSE(SessionToken::from_wire("123e4567-e89b-12d3-a456-426614174000").ok());
  // 43 characters carry 258 bits: the last character's low 2 bits are unused, and only zeros are canonical.
  std::string other = wire;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto pos = alphabet.find(other.back());
  other.back() = alphabet[(pos & ~3u) | ((pos + 1) & 3u)];
  EXPECT_FALSE(SessionToken::from_wire(other).ok());
}

TEST(SessionIdHash, IsTheSha256OfTheTokenAndRoundTripsThroughHex) {
  const auto token = SessionToken::generate();
  const auto h = token.hash();
  const std::string hex = h.to_hex();
  ASSERT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.find(token.to_wire()), std::string::npos);
  auto back = SessionIdHash::from_hex(hex);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, h);
  EXPECT_EQ(h.short_label(), hex.substr(0, 12));
  EXPECT_FALSE(SessionIdHash::from_hex(hex.substr(2)).ok());
  EXPECT_FALSE(SessionIdHash::from_hex(std::string(64, 'g')).ok());
  EXPECT_FALSE(SessionToken::generate().hash() == h);
  EXPECT_EQ(SessionIdHashHasher{}(h), SessionIdHashHasher{}(*back));
}

}  // namespace
}  // namespace lab::security
