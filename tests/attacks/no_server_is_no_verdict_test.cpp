// An oracle decides from what the server did. With no server at all (nothing
// listens on the port) no attack may report "blocked": a refused connection
// is no refusal by a control, so the outcome is "error".
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "attacks/attack.h"
#include "net/line_client.h"

namespace lab::attacks {
namespace {

// A loopback port nobody listens on: bound once to learn a free number, then released.
std::uint16_t closed_port() {
  net::LineClient probe;
  for (std::uint16_t port = 47'913; port < 48'913; ++port) {
    if (!probe.connect(net::ClientOptions{.host = "127.0.0.1", .port = port, .timeout = std::chrono::milliseconds(200)})
             .ok()) {
      return port;
    }
  }
  return 0;
}

class NoServer : public ::testing::TestWithParam<std::string> {};

TEST_P(NoServer, IsAnErrorNeverBlocked) {
  const Attack* attack = find_attack(GetParam());
  ASSERT_NE(attack, nullptr);
  const std::uint16_t port = closed_port();
  ASSERT_NE(port, 0);
  for (int stage : {1, 2}) {
    Target target;
    target.stage = stage;
    target.endpoint = net::ClientOptions{.host = "127.0.0.1", .port = port, .timeout = std::chrono::milliseconds(500)};
    target.tag = "noserver";
    target.settings.idle_timeout = std::chrono::milliseconds(10);
    target.settings.absolute_timeout = std::chrono::milliseconds(10);
    const AttackResult result = attack->run(target);
    EXPECT_EQ(result.outcome, Outcome::kError) << GetParam() << " on stage " << stage << ": " << result.evidence;
  }
}

std::vector<std::string> every_attack() {
  std::vector<std::string> ids;
  for (const Attack* a : all_attacks()) ids.emplace_back(a->id());
  return ids;
}

INSTANTIATE_TEST_SUITE_P(EveryAttack, NoServer, ::testing::ValuesIn(every_attack()), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

}  // namespace
}  // namespace lab::attacks
