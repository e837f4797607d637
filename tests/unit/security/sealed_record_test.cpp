// Sealed records: what comes back out is what went in, and nothing else opens —
// not a changed bit, not a shortened record, not a record moved to another
// kind or id or rolled back to another version, not another key. Plus the
// cipher underneath against published AES-256-GCM vectors.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "security/hex.h"
#include "security/key256.h"
#include "security/sealed_record.h"

namespace lab::security {
namespace {

constexpr std::string_view kPlaintext = R"({"session_id_hash":"ab12","agent_id":"worker-1","role":"worker"})";
constexpr RecordBinding kBinding{"session", "ab12", 7};

SealingKey key_with_id(std::uint32_t id) { return SealingKey{id, Key256::random()}; }

SealingKeyring keyring_of(SealingKey current, std::vector<SealingKey> older = {}) {
  auto keyring = SealingKeyring::make(std::move(current), std::move(older));
  EXPECT_TRUE(keyring.ok());
  return std::move(keyring).value();
}

std::string unhex(std::string_view hex) {
  auto bytes = hex_decode(hex);
  EXPECT_TRUE(bytes.ok()) << hex;
  return bytes.ok() ? *bytes : std::string();
}

std::string hex(std::string_view bytes) {
  return hex_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

void expect_does_not_open(const Result<std::string>& opened, const std::string& what) {
  ASSERT_FALSE(opened.ok()) << what;
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalidField) << what;
  EXPECT_EQ(opened.error().message, "sealed record does not open") << what << ": the reason is not given away";
}

TEST(SealedRecord, OpensToWhatWasSealed) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string sealed = keyring.seal(kPlaintext, kBinding);
  EXPECT_EQ(sealed.find("worker-1"), std::string::npos) << "the plaintext is not readable in the record";
  auto opened = keyring.open(sealed, kBinding);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kPlaintext);

  const SealingKey key = key_with_id(9);
  auto single = open_record(key, seal_record(key, kPlaintext, kBinding), kBinding);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(*single, kPlaintext);
}

TEST(SealedRecord, IsSelfDescribing) {
  const SealingKeyring keyring = keyring_of(key_with_id(0x01020304));
  const std::string sealed = keyring.seal(kPlaintext, kBinding);
  ASSERT_EQ(sealed.size(), kSealedRecordOverhead + kPlaintext.size());
  EXPECT_EQ(hex(sealed.substr(0, 5)), "0101020304") << "format byte, then the key id big-endian";
}

TEST(SealedRecord, EmptyPlaintextRoundTrips) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string sealed = keyring.seal("", kBinding);
  EXPECT_EQ(sealed.size(), kSealedRecordOverhead);
  auto opened = keyring.open(sealed, kBinding);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
  expect_does_not_open(keyring.open(sealed, {"session", "ab12", 8}), "empty plaintext is still bound");
}

TEST(SealedRecord, TwoSealsOfTheSamePlaintextDiffer) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string a = keyring.seal(kPlaintext, kBinding);
  const std::string b = keyring.seal(kPlaintext, kBinding);
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(5, kSealedRecordIvSize), b.substr(5, kSealedRecordIvSize)) << "a fresh IV each time";
}

TEST(SealedRecord, EverySingleBitFlipFailsToOpen) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string sealed = keyring.seal(kPlaintext, kBinding);
  for (std::size_t byte = 0; byte < sealed.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = sealed;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      expect_does_not_open(keyring.open(flipped, kBinding),
                           "byte " + std::to_string(byte) + " bit " + std::to_string(bit));
    }
  }
}

TEST(SealedRecord, EveryTruncationAndAnExtensionFailsToOpen) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string sealed = keyring.seal(kPlaintext, kBinding);
  for (std::size_t length = 0; length < sealed.size(); ++length) {
    expect_does_not_open(keyring.open(sealed.substr(0, length), kBinding), "length " + std::to_string(length));
    expect_does_not_open(keyring.open(sealed.substr(length + 1), kBinding), "front cut " + std::to_string(length));
  }
  expect_does_not_open(keyring.open(sealed + '\0', kBinding), "one byte appended");
}

TEST(SealedRecord, GarbageIsAnErrorNotAnException) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  expect_does_not_open(keyring.open("", kBinding), "empty");
  expect_does_not_open(keyring.open(std::string(200, '\x01'), kBinding), "right format byte, then junk");
  expect_does_not_open(keyring.open(std::string(3, '\0'), kBinding), "three zero bytes");
}

TEST(SealedRecord, AnotherKindIdOrVersionFailsToOpen) {
  const SealingKeyring keyring = keyring_of(key_with_id(1));
  const std::string sealed = keyring.seal(kPlaintext, {"session", "ab12", 7});
  expect_does_not_open(keyring.open(sealed, {"task", "ab12", 7}), "another kind");
  expect_does_not_open(keyring.open(sealed, {"session", "cd34", 7}), "swapped to another id");
  expect_does_not_open(keyring.open(sealed, {"session", "ab12", 8}), "an old version put back (rollback)");
  expect_does_not_open(keyring.open(sealed, {"session", "ab12", 6}), "another version");
  expect_does_not_open(keyring.open(sealed, {"session", "", 7}), "no id");

  // The fields are length-prefixed, not glued together.
  const std::string glued = keyring.seal(kPlaintext, {"ab", "c", 1});
  expect_does_not_open(keyring.open(glued, {"a", "bc", 1}), "kind/id boundary moved");
  expect_does_not_open(keyring.open(glued, {"abc", "", 1}), "id folded into the kind");
}

TEST(SealedRecord, AnotherKeyIdFailsEvenWithTheSameKeyBytes) {
  const SealingKey one = key_with_id(1);
  const SealingKey two{2, one.key};  // same secret, another id
  const std::string sealed = seal_record(one, kPlaintext, kBinding);
  expect_does_not_open(open_record(two, sealed, kBinding), "the record names key 1");

  // Rewriting the key id in the header does not help: the id is in the associated data.
  const SealingKeyring keyring = keyring_of(two, {one});
  ASSERT_TRUE(keyring.open(sealed, kBinding).ok());
  std::string relabelled = sealed;
  relabelled[4] = '\x02';
  expect_does_not_open(keyring.open(relabelled, kBinding), "key id 1 rewritten to 2");
}

TEST(SealedRecord, TheWrongKeyFailsToOpen) {
  const SealingKey right = key_with_id(1);
  const SealingKey wrong = key_with_id(1);  // same id, another secret
  const std::string sealed = seal_record(right, kPlaintext, kBinding);
  expect_does_not_open(open_record(wrong, sealed, kBinding), "single key");
  expect_does_not_open(keyring_of(wrong).open(sealed, kBinding), "keyring");
  expect_does_not_open(keyring_of(key_with_id(2)).open(sealed, kBinding), "a keyring without key 1");
}

TEST(SealingKeyring, OpensRecordsOfTheOldKeyAndSealsWithTheNewOne) {
  const SealingKeyring before = keyring_of(key_with_id(1));
  const std::string old_record = before.seal(kPlaintext, kBinding);

  auto after = before.rotated(key_with_id(2));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->current_key_id(), 2u);
  EXPECT_TRUE(after->holds(1));
  auto opened_old = after->open(old_record, kBinding);
  ASSERT_TRUE(opened_old.ok());
  EXPECT_EQ(*opened_old, kPlaintext);

  const std::string new_record = after->seal(kPlaintext, kBinding);
  EXPECT_EQ(hex(new_record.substr(1, 4)), "00000002") << "sealed under the current key";
  EXPECT_TRUE(after->open(new_record, kBinding).ok());
  expect_does_not_open(before.open(new_record, kBinding), "the old keyring lacks the new key");

  // Once every record is re-sealed, the old key can go; its records then no longer open.
  auto retired = after->without(1);
  ASSERT_TRUE(retired.ok());
  EXPECT_FALSE(retired->holds(1));
  EXPECT_TRUE(retired->open(new_record, kBinding).ok());
  expect_does_not_open(retired->open(old_record, kBinding), "key 1 removed");
}

TEST(SealingKeyring, RefusesAmbiguousOrMissingKeys) {
  EXPECT_FALSE(SealingKeyring::make(key_with_id(1), {key_with_id(2), key_with_id(1)}).ok()) << "duplicate id";
  const SealingKeyring keyring = keyring_of(key_with_id(1), {key_with_id(2)});
  EXPECT_FALSE(keyring.rotated(key_with_id(2)).ok()) << "id already held";
  EXPECT_FALSE(keyring.without(1).ok()) << "the current key";
  EXPECT_FALSE(keyring.without(3).ok()) << "not held";
}

// The GCM specification's AES-256 test cases (McGrew & Viega, "The Galois/Counter
// Mode of Operation", test cases 13 and 16), as used by NIST and Wycheproof.
TEST(Aes256Gcm, KnownAnswerVectors) {
  struct Vector {
    const char* key;
    const char* iv;
    const char* aad;
    const char* plaintext;
    const char* ciphertext_and_tag;
  };
  const Vector vectors[] = {
      {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "",
       "530f8afbc74536b9a963b4f1c4cb738b"},
      {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
       "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
       "76fc6ece0f4e1768cddf8853bb2d551b"},
  };
  for (const Vector& v : vectors) {
    auto key = Key256::from_hex(v.key);
    ASSERT_TRUE(key.ok());
    const std::string iv_bytes = unhex(v.iv);
    ASSERT_EQ(iv_bytes.size(), kSealedRecordIvSize);
    std::array<unsigned char, kSealedRecordIvSize> iv{};
    std::copy(iv_bytes.begin(), iv_bytes.end(), iv.begin());
    const std::string aad = unhex(v.aad);
    const std::string plaintext = unhex(v.plaintext);

    const std::string sealed = internal::aes256gcm_encrypt(*key, iv, aad, plaintext);
    EXPECT_EQ(hex(sealed), v.ciphertext_and_tag);
    auto opened = internal::aes256gcm_decrypt(*key, iv, aad, unhex(v.ciphertext_and_tag));
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(hex(*opened), v.plaintext);

    std::string bad_tag = unhex(v.ciphertext_and_tag);
    bad_tag.back() = static_cast<char>(bad_tag.back() ^ 1);
    expect_does_not_open(internal::aes256gcm_decrypt(*key, iv, aad, bad_tag), "last tag bit flipped");
    expect_does_not_open(internal::aes256gcm_decrypt(*key, iv, aad + "x", unhex(v.ciphertext_and_tag)),
                         "associated data changed");
  }
}

}  // namespace
}  // namespace lab::security
