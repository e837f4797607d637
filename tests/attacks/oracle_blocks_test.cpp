// Every attack's oracle can say "blocked": run against a coordinator whose
// relevant control holds, the attack must report kBlocked with evidence.
// Attacks that stage 2 already blocks are covered by the matrix test.
#include <algorithm>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <gtest/gtest.h>

#include "attacks/attack.h"
#include "hardened_fixture.h"
#include "in_process_stage.h"
#include "test_certificates.h"

#include <sodium.h>

namespace lab::attacks {
namespace {

class OracleBlocks : public ::testing::TestWithParam<const char*> {};

TEST_P(OracleBlocks, AttackReportsBlockedWhenTheControlHolds) {
  const Attack* attack = find_attack(GetParam());
  ASSERT_NE(attack, nullptr);
  Target target;
  target.stage = 2;  // lab users with passwords, signed requests
  auto server = testing::make_hardened_server(target.settings);
  ASSERT_TRUE(server->start().ok());
  target.endpoint.port = server->port();
  target.tag = "fixture";
  const AttackResult result = attack->run(target);
  EXPECT_EQ(result.outcome, Outcome::kBlocked) << GetParam() << ": " << result.evidence;
  EXPECT_FALSE(result.evidence.empty());
  std::cout << GetParam() << ": " << to_string(result.outcome) << " — " << result.evidence << "\n";
  server->stop();
}

// Attacks on the stored state, a crash and the audit trail, against the fixture
// with a sealed, written-through store and an audit log in its state directory.
class StateOracleBlocks : public ::testing::TestWithParam<const char*> {};

TEST_P(StateOracleBlocks, AttackReportsBlockedWhenStateIsSealedDurableAndAudited) {
  const Attack* attack = find_attack(GetParam());
  ASSERT_NE(attack, nullptr);
  ASSERT_GE(sodium_init(), 0);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lab-fixture-" + std::to_string(::getpid()) + "-" + std::string(GetParam()));
  std::filesystem::remove_all(dir);
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  Target target;
  target.stage = 2;
  target.tag = "fixture";
  testing::InProcessStage stage([&] { return testing::make_hardened_server(target.settings, dir, key); }, dir);
  ASSERT_TRUE(stage.start().ok());
  target.endpoint = stage.endpoint();
  target.control = &stage;
  const AttackResult result = attack->run(target);
  EXPECT_EQ(result.outcome, Outcome::kBlocked) << GetParam() << ": " << result.evidence;
  std::cout << GetParam() << ": " << to_string(result.outcome) << " — " << result.evidence << "\n";
  (void)stage.stop();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(HardenedFixture, StateOracleBlocks,
                         ::testing::Values("state-disclosure-at-rest", "state-tamper-at-rest",
                                           "crash-loses-acknowledged-work", "audit-trail-missing"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Attacks on the wire, against the fixture speaking TLS 1.3 end to end.
class WireOracleBlocks : public ::testing::TestWithParam<const char*> {};

TEST_P(WireOracleBlocks, AttackReportsBlockedWhenTheTrafficIsEncrypted) {
  const Attack* attack = find_attack(GetParam());
  ASSERT_NE(attack, nullptr);
  const auto dir = std::filesystem::temp_directory_path() / ("lab-tls-" + std::to_string(::getpid()));
  const auto cert = testing::make_test_certificate(dir);
  Target target;
  target.stage = 2;
  target.tag = "fixture";
  auto server = testing::make_hardened_server(
      target.settings, {}, {}, net::TlsServerFiles{cert.certificate.string(), cert.private_key.string()});
  ASSERT_TRUE(server->start().ok());
  target.endpoint.port = server->port();
  target.endpoint.tls = net::TlsClientFiles{cert.certificate.string(), "localhost"};
  const AttackResult result = attack->run(target);
  EXPECT_EQ(result.outcome, Outcome::kBlocked) << GetParam() << ": " << result.evidence;
  std::cout << GetParam() << ": " << to_string(result.outcome) << " — " << result.evidence << "\n";
  server->stop();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(HardenedFixture, WireOracleBlocks,
                         ::testing::Values("eavesdrop-plaintext", "forge-with-sniffed-key"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

INSTANTIATE_TEST_SUITE_P(HardenedFixture, OracleBlocks,
                         ::testing::Values("hijack-stolen-session", "absolute-lifetime", "concurrent-sessions",
                                           "privilege-escalation", "stale-permissions", "replay-signed-request",
                                           "password-brute-force", "request-flood", "malicious-payloads",
                                           "lost-update-race", "slow-connection-exhaustion"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace lab::attacks
