// Password hashing runs on the server's blocking pool, not on the io threads:
// a flood of failed logins keeps the pool busy, while an agent that is already
// logged in keeps being answered at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "client/session.h"
#include "net/line_client.h"
#include "stage2_improved/stage2.h"

namespace lab::stage2 {
namespace {

TEST(LoginFlood, FailedLoginsInBulkDoNotStallOtherClients) {
  // The real bcrypt cost: each failed login costs the server tens of milliseconds of CPU.
  auto server = make_server(coordinator::StageConfig{.port = 0, .threads = 2});
  ASSERT_TRUE(server->start().ok());
  const net::ClientOptions endpoint{.host = "127.0.0.1", .port = server->port(),
                                    .timeout = std::chrono::milliseconds(30'000)};
  auto alice = client::open_session(2, endpoint,
                                    client::Identity{"alice", Role::kCoordinator, client::lab_password("alice")});
  ASSERT_TRUE(alice.ok());

  // Two connections, 60 failed logins each, in one write each.
  std::string burst;
  for (int i = 0; i < 60; ++i) {
    burst += Json{{"type", "login"}, {"request_id", i}, {"payload", {{"agent_id", "alice"}, {"password", "x"}}}}.dump() +
             "\n";
  }
  net::LineClient flood[2];
  for (auto& f : flood) {
    ASSERT_TRUE(f.connect(endpoint).ok());
    ASSERT_TRUE(f.send_raw(burst).ok());
  }
  const auto first = flood[0].read_line(std::chrono::milliseconds(30'000));
  ASSERT_TRUE(first.ok()) << "the flood is being answered";

  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto listed = (*alice)->call("list_projects");
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    slowest = std::max(slowest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - start));
  }
  std::cout << "slowest of 20 requests during a 120-login flood: " << slowest.count() << " ms\n";
  // With hashing on the io threads these waited seconds behind the queue of hashes.
  EXPECT_LT(slowest.count(), 1000);
  server->stop();
}

}  // namespace
}  // namespace lab::stage2
