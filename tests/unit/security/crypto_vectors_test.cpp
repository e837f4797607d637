// The security library against published known-answer vectors, and the
// secret-key type's contract: exact sizes, errors for bad text, constant-time
// equality, no silent truncation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "security/bcrypt_password.h"
#include "security/digest.h"
#include "security/hex.h"
#include "security/hmac.h"
#include "security/key256.h"

namespace lab::security {
namespace {

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");  // test case 1
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");  // test case 2
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\xaa'), std::string(50, '\xdd')),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");  // test case 3
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");  // test case 6
}

// One context per thread is re-keyed on every call: a call never signs with the previous call's key, an empty
// key included (to OpenSSL, no key would mean "the previous one").
TEST(HmacSha256, EveryCallUsesItsOwnKey) {
  const std::string jefe = hmac_sha256_hex("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"), jefe);
  EXPECT_EQ(hmac_sha256_hex(std::string_view(), ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Bcrypt, OpenBsdVectorsIncludingThe72ByteLimit) {
  EXPECT_TRUE(bcrypt_verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  EXPECT_FALSE(bcrypt_verify("U*V", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  const std::string hash = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
  const std::string first72 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  EXPECT_TRUE(bcrypt_verify(first72 + "chars after 72 are ignored", hash));
  EXPECT_TRUE(bcrypt_verify(first72 + "anything else", hash)) << "why V-032 exists";
}

TEST(HexDecode, ReportsMalformedInputAsAnError) {
  EXPECT_EQ(*hex_decode("00ff7f"), std::string("\x00\xff\x7f", 3));
  EXPECT_FALSE(hex_decode("abc").ok()) << "odd length";
  EXPECT_FALSE(hex_decode("zz").ok());
  EXPECT_EQ(hex_decode("0g").error().code, ErrorCode::kInvalidField);
}

// RFC 4648 section 10's vectors, in the standard alphabet and in base64url without padding (as JWTs use it).
TEST(Base64, Rfc4648VectorsBothWays) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()), text);
    EXPECT_EQ(*base64_decode(text), bytes);
    const std::string url = text.substr(0, text.find('='));
    EXPECT_EQ(base64url_encode(bytes), url);
    EXPECT_EQ(*base64url_decode(url), bytes);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");  // the two characters that differ from the standard alphabet
  EXPECT_EQ(*base64url_decode("-_8"), "\xfb\xff");
}

TEST(Base64, RefusesTheOtherAlphabetPaddingAndTrailingText) {
  EXPECT_FALSE(base64url_decode("+/8").ok());    // standard alphabet where base64url is expected
  EXPECT_FALSE(base64url_decode("Zg==").ok());   // padding where there is none
  EXPECT_FALSE(base64_decode("Zm9v!").ok());     // trailing text
  EXPECT_FALSE(base64_decode("-_8=").ok());
}

TEST(Key256, IsExactlySixtyFourHexDigits) {
  const std::string hex(64, 'a');
  auto key = Key256::from_hex(hex);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->to_hex(), hex);
  EXPECT_FALSE(Key256::from_hex(std::string(62, 'a')).ok());
  EXPECT_FALSE(Key256::from_hex(std::string(66, 'a')).ok());
  EXPECT_FALSE(Key256::from_hex(std::string(63, 'a') + "x").ok());
  EXPECT_FALSE(Key256::from_hex("").ok()) << "an empty key is an error, not an empty HMAC key";
}

TEST(Key256, RandomKeysDifferAndCompareByValue) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(Key256::random().to_hex());
  EXPECT_EQ(seen.size(), 100u);
  const Key256 a = Key256::random();
  const Key256 copy = a;
  EXPECT_TRUE(a == copy);
  EXPECT_FALSE(a == Key256::random());
}

TEST(HmacSha256, AKeyTypedOrRawGivesTheSameMac) {
  const Key256 key = *Key256::from_hex(std::string(64, '0').replace(0, 2, "01"));
  std::string raw(32, '\0');
  raw[0] = '\x01';
  EXPECT_EQ(hmac_sha256_hex(key, "message"), hmac_sha256_hex(raw, "message"));
}

TEST(HmacSha256, ManyKeysInTurnEachGetTheirOwnMac) {
  // More keys than a thread keeps ready, used in turn and again: each MAC is the one its raw bytes give.
  std::vector<Key256> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(Key256::random());
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < keys.size(); i += (round == 1 ? 7 : 1)) {
      const auto bytes = keys[i].bytes();
      const std::string raw(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      const std::string message = "request " + std::to_string(i);
      ASSERT_EQ(hmac_sha256_hex(keys[i], message), hmac_sha256_hex(raw, message)) << round << " " << i;
      ASSERT_TRUE(hmac_sha256_hex_matches(keys[i], message, hmac_sha256_hex(raw, message)));
      ASSERT_FALSE(hmac_sha256_hex_matches(keys[(i + 1) % keys.size()], message, hmac_sha256_hex(raw, message)));
    }
  }
}

TEST(HmacSha256, APresentedMacMatchesInEitherCaseAndNothingElseMatches) {
  const Key256 key = Key256::random();
  const std::string mac = hmac_sha256_hex(key, "message");
  EXPECT_TRUE(hmac_sha256_hex_matches(key, "message", mac));
  std::string upper = mac;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_TRUE(hmac_sha256_hex_matches(key, "message", upper));
  EXPECT_FALSE(hmac_sha256_hex_matches(key, "messagf", mac));
  EXPECT_FALSE(hmac_sha256_hex_matches(Key256::random(), "message", mac));
  EXPECT_FALSE(hmac_sha256_hex_matches(key, "message", mac.substr(0, 62)));
  EXPECT_FALSE(hmac_sha256_hex_matches(key, "message", mac + "00"));
  EXPECT_FALSE(hmac_sha256_hex_matches(key, "message", ""));
  for (std::size_t at : {0u, 31u, 63u}) {
    std::string flipped = mac;
    flipped[at] = flipped[at] == '0' ? '1' : '0';
    EXPECT_FALSE(hmac_sha256_hex_matches(key, "message", flipped)) << at;
    // A byte that is no hex digit, even one that reads as a digit once its case bit is set (0x10 | 0x20 is '0').
    for (char wrong : {'g', 'G', ' ', '\x10', '\x19'}) {
      std::string bad = mac;
      bad[at] = wrong;
      EXPECT_FALSE(hmac_sha256_hex_matches(key, "message", bad)) << at << " " << int(wrong);
    }
  }
}

}  // namespace
}  // namespace lab::security
