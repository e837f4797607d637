// Every attack's oracle can say "blocked": run against a coordinator whose
// relevant control holds, the attack must report kBlocked with evidence.
// Attacks that stage 2 already blocks are covered by the matrix test; the
// attacks on files, crashes and the wire (state-*, crash-*, audit-*,
// eavesdrop-*, forge-*) need stage 3's sealed store, audit log and TLS.
#include <algorithm>
#include <iostream>

#include <gtest/gtest.h>

#include "attacks/attack.h"
#include "hardened_fixture.h"

namespace lab::attacks {
namespace {

class OracleBlocks : public ::testing::TestWithParam<const char*> {};

TEST_P(OracleBlocks, AttackReportsBlockedWhenTheControlHolds) {
  const Attack* attack = find_attack(GetParam());
  ASSERT_NE(attack, nullptr);
  Target target;
  target.stage = 2;  // lab users with passwords, signed requests
  auto server = testing::make_hardened_server(target.timings);
  ASSERT_TRUE(server->start().ok());
  target.endpoint.port = server->port();
  target.tag = "fixture";
  const AttackResult result = attack->run(target);
  EXPECT_EQ(result.outcome, Outcome::kBlocked) << GetParam() << ": " << result.evidence;
  EXPECT_FALSE(result.evidence.empty());
  std::cout << GetParam() << ": " << to_string(result.outcome) << " — " << result.evidence << "\n";
  server->stop();
}

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
