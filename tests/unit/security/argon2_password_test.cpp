// Argon2id password hashes: whole-password checks and rehash when parameters rise.
#include "security/argon2_password.h"

#include <gtest/gtest.h>

namespace lab::security {
namespace {

// Small parameters keep the test fast; the production defaults are checked by name only.
const Argon2Params kFast{.passes = 1, .memory_bytes = 64 * 1024};

TEST(Argon2Password, AHashVerifiesItsPasswordAndNoOther) {
  auto hash = argon2id_hash("correct horse", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(argon2id_verify("correct horse", *hash));
  EXPECT_FALSE(argon2id_verify("correct horsE", *hash));
  EXPECT_FALSE(argon2id_verify("", *hash));
}

TEST(Argon2Password, TheWholePasswordCountsUnlikeBcrypt) {
  const std::string long_a = std::string(72, 'a') + "-one";
  const std::string long_b = std::string(72, 'a') + "-two";
  auto hash = argon2id_hash(long_a, kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(argon2id_verify(long_a, *hash));
  EXPECT_FALSE(argon2id_verify(long_b, *hash)) << "bytes past the 72nd matter";
  auto with_nul = argon2id_hash(std::string("pass\0word", 9), kFast);
  ASSERT_TRUE(with_nul.ok());
  EXPECT_FALSE(argon2id_verify("pass", *with_nul)) << "a NUL does not end the password";
}

TEST(Argon2Password, EachHashHasItsOwnSalt) {
  auto a = argon2id_hash("same", kFast);
  auto b = argon2id_hash("same", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(Argon2Password, RaisedParametersAskForARehash) {
  auto hash = argon2id_hash("pw", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(argon2id_needs_rehash(*hash, kFast));
  EXPECT_TRUE(argon2id_needs_rehash(*hash, Argon2Params{.passes = 2, .memory_bytes = 64 * 1024}));
  EXPECT_TRUE(argon2id_needs_rehash("$2b$04$abcdefghijklmnopqrstuu5Ybn8bUvs8qHdJr0t0hJ1Nf3fCzmB.G", kFast))
      << "a bcrypt hash from stage 2 is replaced at the next login";
}

TEST(Argon2Password, AnOverLongPasswordIsRefusedBeforeHashing) {
  auto hash = argon2id_hash(std::string(kMaxPasswordBytes + 1, 'x'), kFast);
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code, ErrorCode::kInvalidField);
  EXPECT_FALSE(argon2id_verify(std::string(kMaxPasswordBytes + 1, 'x'), "$argon2id$v=19$m=64,t=1,p=1$x$y"));
  EXPECT_FALSE(argon2id_verify("pw", "not a hash"));
}

TEST(Argon2Password, TheDefaultsAreOwaspsArgon2idMinimum) {
  const Argon2Params defaults;
  EXPECT_EQ(defaults.memory_bytes, 19u * 1024 * 1024);
  EXPECT_EQ(defaults.passes, 2u);
}

}  // namespace
}  // namespace lab::security
