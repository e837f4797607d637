// The victim's browser host (browser/victim_browser.cjs under src/attacks/browser_host.*): one Chromium for every
// browser attack of a process, which plays only what its starter asks and keeps serving after a request fails.
// The scenarios themselves are proven by the matrix (attack_matrix), where each browser attack is blocked on stage 5
// and exploited with its control switched off.
#include <gtest/gtest.h>

#include "attacks/browser_host.h"
#include "net/line_client.h"

namespace lab::attacks {
namespace {

Json ask_without_the_token(std::uint16_t port, const Json& request) {
  net::LineClient client;
  EXPECT_TRUE(client.connect(net::ClientOptions{.port = port, .timeout = std::chrono::seconds(30)}));
  EXPECT_TRUE(client.send_line(request.dump()));
  const auto line = client.read_line();
  EXPECT_TRUE(line) << (line ? "" : line.error().message);
  return line ? Json::parse(*line, nullptr, false) : Json();
}

const Json kFrameRequest{{"scenario", "frame"},         {"origin", "https://localhost:9"}, {"ca_dir", "/nonexistent"},
                         {"user", "alice"},             {"password", "alice-wonderland-2026"}};

TEST(BrowserHost, EveryAttackOfAProcessSharesOneHost) {
  auto first = BrowserHost::shared();
  ASSERT_TRUE(first) << first.error().message;
  auto second = BrowserHost::shared();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->get(), second->get());
}

TEST(BrowserHost, ARequestWithoutTheStartersTokenIsNotPlayed) {
  auto host = BrowserHost::shared();
  ASSERT_TRUE(host) << host.error().message;
  for (const Json& token : {Json(), Json("not-the-token"), Json(std::string(64, '0'))}) {
    Json request = kFrameRequest;
    if (!token.is_null()) request["token"] = token;
    const Json reply = ask_without_the_token((*host)->port(), request);
    ASSERT_TRUE(reply.is_object()) << reply.dump();
    EXPECT_FALSE(reply.contains("facts")) << reply.dump();
    EXPECT_EQ(reply.value("error", ""), "not this host's token");
  }
}

TEST(BrowserHost, AFailedRequestSaysWhyAndTheHostKeepsServing) {
  auto host = BrowserHost::shared();
  ASSERT_TRUE(host) << host.error().message;
  Json unknown = kFrameRequest;
  unknown["scenario"] = "no-such-scenario";
  const auto refused = (*host)->play(unknown, std::chrono::seconds(60));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("unknown scenario no-such-scenario"), std::string::npos)
      << refused.error().message;

  // The lab CA it names is not there: the scenario fails before the browser goes anywhere, and says so.
  const auto no_ca = (*host)->play(kFrameRequest, std::chrono::seconds(60));
  ASSERT_FALSE(no_ca);
  EXPECT_NE(no_ca.error().message.find("/nonexistent/ca.crt"), std::string::npos) << no_ca.error().message;

  // Still the same host, still answering.
  auto again = BrowserHost::shared();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->get(), host->get());
  Json missing_user = kFrameRequest;
  missing_user.erase("user");
  const auto incomplete = (*again)->play(missing_user, std::chrono::seconds(60));
  ASSERT_FALSE(incomplete);
  EXPECT_NE(incomplete.error().message.find("the request needs user"), std::string::npos)
      << incomplete.error().message;
}

}  // namespace
}  // namespace lab::attacks
