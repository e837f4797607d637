// ECDSA P-256 request signatures as an agent and a coordinator see them: what
// one key signs its public key verifies; a changed message, a changed
// signature or another key's signature does not; keys survive their PEM
// files; and one parsed key serves many threads at once.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>

#include <string>
#include <thread>
#include <vector>

#include "security/ecdsa.h"

namespace lab::security {
namespace {

SigningKey fresh_key() {
  auto key = SigningKey::generate();
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

VerifyKey public_of(const SigningKey& key) {
  auto pub = key.public_key();
  EXPECT_TRUE(pub.ok());
  return std::move(pub).value();
}

std::string signature_of(const SigningKey& key, std::string_view message) {
  auto sig = key.sign(message);
  EXPECT_TRUE(sig.ok());
  return sig.ok() ? *sig : std::string();
}

const std::string kMessage = "\"@method\": claim_task\n\"@signature-params\": ();created=1700000000;nonce=n-1";

TEST(Ecdsa, WhatAKeySignsItsPublicKeyVerifies) {
  const SigningKey key = fresh_key();
  const std::string sig = signature_of(key, kMessage);
  EXPECT_GE(sig.size(), 8u);
  EXPECT_LE(sig.size(), 72u);  // DER
  EXPECT_TRUE(public_of(key).verify(kMessage, sig));
  EXPECT_TRUE(public_of(key).verify("", signature_of(key, "")));
  // A fresh random nonce per signature: two signatures of one message differ, both verify.
  const std::string again = signature_of(key, kMessage);
  EXPECT_NE(again, sig);
  EXPECT_TRUE(public_of(key).verify(kMessage, again));
}

TEST(Ecdsa, EveryFlippedBitOfMessageOrSignatureFails) {
  const SigningKey key = fresh_key();
  const VerifyKey pub = public_of(key);
  const std::string sig = signature_of(key, kMessage);
  for (std::size_t bit = 0; bit < kMessage.size() * 8; ++bit) {
    std::string changed = kMessage;
    changed[bit / 8] = static_cast<char>(changed[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(pub.verify(changed, sig)) << "message bit " << bit;
  }
  for (std::size_t bit = 0; bit < sig.size() * 8; ++bit) {
    std::string changed = sig;
    changed[bit / 8] = static_cast<char>(changed[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(pub.verify(kMessage, changed)) << "signature bit " << bit;
  }
  EXPECT_FALSE(pub.verify(kMessage, sig.substr(0, sig.size() - 1)));
  EXPECT_FALSE(pub.verify(kMessage, sig + '\0'));
  EXPECT_FALSE(pub.verify(kMessage, ""));
  EXPECT_FALSE(pub.verify(kMessage, std::string(4096, '\x30')));
  EXPECT_FALSE(pub.verify(kMessage + "x", sig));
}

TEST(Ecdsa, AnotherKeysSignatureFails) {
  const SigningKey alice = fresh_key();
  const SigningKey mallory = fresh_key();
  EXPECT_FALSE(public_of(alice).verify(kMessage, signature_of(mallory, kMessage)));
  EXPECT_FALSE(public_of(mallory).verify(kMessage, signature_of(alice, kMessage)));
}

TEST(Ecdsa, BothKeysSurviveTheirPemFiles) {
  const SigningKey key = fresh_key();
  auto private_pem = key.to_pem();
  ASSERT_TRUE(private_pem.ok());
  EXPECT_TRUE(private_pem->starts_with("-----BEGIN PRIVATE KEY-----\n")) << "PKCS#8";
  auto reloaded = SigningKey::from_pem(*private_pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  EXPECT_TRUE(public_of(key).verify(kMessage, signature_of(*reloaded, kMessage)));

  auto public_pem = public_of(key).to_pem();
  ASSERT_TRUE(public_pem.ok());
  EXPECT_TRUE(public_pem->starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_EQ(public_pem->find("PRIVATE"), std::string::npos);
  auto pub = VerifyKey::from_pem(*public_pem);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_TRUE(pub->verify(kMessage, signature_of(key, kMessage)));
  EXPECT_EQ(*pub->to_pem(), *public_pem);
}

TEST(Ecdsa, TextThatIsNotAP256KeyIsRefused) {
  for (const char* bad : {"", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not pem"}) {
    auto key = SigningKey::from_pem(bad);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidField);
    auto pub = VerifyKey::from_pem(bad);
    ASSERT_FALSE(pub.ok());
    EXPECT_EQ(pub.error().code, ErrorCode::kInvalidField);
  }
  // A public key is not a private key, and a P-384 key is not a lab key.
  const std::string public_pem = *public_of(fresh_key()).to_pem();
  EXPECT_FALSE(SigningKey::from_pem(public_pem).ok());
  EvpPkeyPtr p384(EVP_EC_gen("P-384"));
  ASSERT_NE(p384, nullptr);
  OpenSslPtr<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), p384.get()), 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  auto refused = VerifyKey::from_pem(std::string(data, static_cast<std::size_t>(n)));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("P-256"), std::string::npos);
}

TEST(Ecdsa, OneParsedKeyVerifiesFromManyThreadsAtOnce) {
  const SigningKey key = fresh_key();
  const VerifyKey shared = public_of(key);
  const VerifyKey copy = shared;  // copies share the parsed key
  const std::string sig = signature_of(key, kMessage);
  const std::string other = signature_of(fresh_key(), kMessage);
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      const VerifyKey& k = t % 2 == 0 ? shared : copy;
      for (int i = 0; i < 100; ++i) {
        if (!k.verify(kMessage, sig) || k.verify(kMessage, other)) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(Ecdsa, AMovedFromKeyRefusesInsteadOfCrashing) {
  SigningKey key = fresh_key();
  SigningKey taken = std::move(key);
  EXPECT_FALSE(key.sign(kMessage).ok());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_TRUE(taken.sign(kMessage).ok());
}

}  // namespace
}  // namespace lab::security
