// Stage 5's tokens over real HTTPS: what a thief holding a token, a forged or expired one, a refresh token or a
// token meant for another service gets, and what signing out and sign-in floods leave.
#include <gtest/gtest.h>

#include "security/hex.h"
#include "stage5_test_server.h"

namespace lab::test {
namespace {

class Stage5TokensTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server.start_status()) << server.start_status().error().message; }
  Stage5TestServer server;
};

TEST_F(Stage5TokensTest, AStolenAccessTokenIsUselessWithoutItsCookie) {
  auto victim = server.browser();
  const std::string token = body_of(victim.sign_in("alice", kAlicePassword)).value("access_token", "");
  ASSERT_FALSE(token.empty());
  auto thief = server.browser("127.0.0.2");
  auto r = thief.request("GET", "/api/projects", {}, {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(code_of(r), "TOKEN_BINDING_MISMATCH");
  // A fingerprint cookie of the thief's own making does not match the token's hash either.
  r = thief.request("GET", "/api/projects", {}, {{"Authorization", "Bearer " + token}, {"Cookie", "__Host-fgp=00"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(code_of(r), "TOKEN_BINDING_MISMATCH");
  // The same token with its cookie is the victim's own request.
  r = victim.request("GET", "/api/projects", {},
                     {{"Authorization", "Bearer " + token}, {"Cookie", "__Host-fgp=" + *victim.cookie("__Host-fgp")}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(Stage5TokensTest, ForgedAndAlteredTokensAreRefused) {
  auto b = server.browser();
  const std::string token = body_of(b.sign_in("alice", kAlicePassword)).value("access_token", "");
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  const std::string payload = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string fgp = "__Host-fgp=" + *b.cookie("__Host-fgp");
  const auto try_token = [&](const std::string& forged) {
    auto r = b.request("GET", "/api/projects", {}, {{"Authorization", "Bearer " + forged}, {"Cookie", fgp}});
    return r ? r->status : -1;
  };
  ASSERT_EQ(try_token(token), 200);
  // alg none, with and without a signature
  const std::string none = security::base64url_encode(R"({"alg":"none","typ":"JWT"})");
  EXPECT_EQ(try_token(none + "." + payload + "."), 401);
  EXPECT_EQ(try_token(none + "." + payload + "." + token.substr(dot2 + 1)), 401);
  // the payload changed (another subject) under the original signature
  const std::string admin_payload =
      security::base64url_encode(Json{{"sub", "admin"}, {"role", "admin"}, {"aud", "lab-coordinator"}}.dump());
  EXPECT_EQ(try_token(token.substr(0, dot1) + "." + admin_payload + token.substr(dot2)), 401);
  // garbage and truncation
  EXPECT_EQ(try_token("not-a-token"), 401);
  EXPECT_EQ(try_token(token.substr(0, token.size() - 4)), 401);
}

TEST_F(Stage5TokensTest, AnExpiredAccessTokenIsRefused) {
  auto b = server.signed_in("alice", kAlicePassword);
  ASSERT_EQ(b.request("GET", "/api/projects")->status, 200);
  server.clock.advance(std::chrono::seconds(601));  // the token lives 600 s; the session's idle limit is 30 min
  auto r = b.request("GET", "/api/projects");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(body_of(r)["error"].value("message", "").find("expired"), std::string::npos) << r->body;
  // A refresh gives the session a new token.
  auto refreshed = b.request("POST", "/api/session/refresh", "{}");
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->status, 200) << refreshed->body;
  EXPECT_EQ(b.request("GET", "/api/projects")->status, 200);
}

TEST_F(Stage5TokensTest, AReusedRefreshTokenEndsTheSessionForEveryHolder) {
  auto b = server.signed_in("alice", kAlicePassword);
  const std::string first_refresh = *b.cookie("__Host-refresh");
  auto r = b.request("POST", "/api/session/refresh", "{}");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(*b.cookie("__Host-refresh"), first_refresh);  // rotated
  ASSERT_EQ(b.request("GET", "/api/projects")->status, 200);
  // Someone who copied the first refresh token uses it later (within seconds it would pass for a second tab's race:
  // answered 409, nothing issued, nothing revoked).
  server.clock.advance(std::chrono::seconds(11));
  auto thief = server.browser("127.0.0.2");
  thief.set_cookie("__Host-refresh", first_refresh);
  thief.set_cookie("__Host-csrf", *b.cookie("__Host-csrf"));
  r = thief.request("POST", "/api/session/refresh", "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(thief.cookie("__Host-access"), std::nullopt);
  // The whole family is revoked: the rightful browser is signed out too, and its current refresh token is dead.
  EXPECT_EQ(b.request("GET", "/api/projects")->status, 401);
  EXPECT_EQ(b.request("POST", "/api/session/refresh", "{}")->status, 401);
}

TEST_F(Stage5TokensTest, TwoTabsRefreshingAtOnceKeepTheSession) {
  auto tab1 = server.signed_in("alice", kAlicePassword);
  auto tab2 = server.browser();  // the same browser: the same cookies
  for (const auto& [name, cookie] : tab1.cookies()) tab2.set_cookie(name, cookie.value);
  ASSERT_EQ(tab1.request("POST", "/api/session/refresh", "{}")->status, 200);
  auto raced = tab2.request("POST", "/api/session/refresh", "{}");  // still holding the token tab 1 just rotated
  ASSERT_TRUE(raced);
  EXPECT_EQ(raced->status, 409);
  EXPECT_FALSE(raced->header("Set-Cookie").size()) << "nothing issued to the late one";
  EXPECT_EQ(tab1.request("GET", "/api/projects")->status, 200) << "the session lives on";
}

TEST_F(Stage5TokensTest, SigningOutEndsTheTokenAndTheRefreshToken) {
  auto b = server.signed_in("alice", kAlicePassword);
  const std::string access = *b.cookie("__Host-access");
  const std::string fgp = *b.cookie("__Host-fgp");
  const std::string refresh = *b.cookie("__Host-refresh");
  const std::string csrf = *b.cookie("__Host-csrf");
  auto r = b.request("DELETE", "/api/session");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(b.cookie("__Host-access"));  // the browser was told to drop them
  // A copy of the old cookies is worth nothing now.
  auto copy = server.browser();
  copy.set_cookie("__Host-access", access);
  copy.set_cookie("__Host-fgp", fgp);
  copy.set_cookie("__Host-refresh", refresh);
  copy.set_cookie("__Host-csrf", csrf);
  EXPECT_EQ(copy.request("GET", "/api/projects")->status, 401);
  EXPECT_EQ(copy.request("POST", "/api/session/refresh", "{}")->status, 401);
}

TEST_F(Stage5TokensTest, ASignInFloodIsAnswered429WithRetryAfter) {
  auto b = server.browser();
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 15 && limited == 0; ++i) {
    auto r = b.sign_in("nobody", "wrong");
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++limited;
      retry_after = r->header("Retry-After");
    }
  }
  EXPECT_EQ(limited, 1);
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
}

// The refresh endpoint sits outside the chain, but not outside the budget: a run of guessed refresh tokens from one
// address meets the sign-in throttle, and then so does that address's next sign-in.
TEST_F(Stage5TokensTest, RefreshGuessesSpendTheSignInBudgetOfTheirAddress) {
  auto guesser = server.browser();
  int refused = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 15 && limited == 0; ++i) {
    guesser.set_cookie("__Host-refresh", std::string(64, static_cast<char>('a' + i % 6)));
    auto r = guesser.request("POST", "/api/session/refresh", "{}");
    ASSERT_TRUE(r);
    if (r->status == 401) ++refused;
    if (r->status == 429) {
      ++limited;
      retry_after = r->header("Retry-After");
    }
  }
  EXPECT_GE(refused, 5) << "the first guesses are refused as unknown tokens";
  EXPECT_EQ(limited, 1) << "then the address is over its budget";
  EXPECT_FALSE(retry_after.empty());
  EXPECT_EQ(server.browser().sign_in("alice", kAlicePassword)->status, 429) << "one budget for both";
}

TEST(Stage5ServiceTokensTest, ATokenForAnotherServiceWorksThereOnlyAndIsRefusedHere) {
  coordinator::StageConfig config;
  config.token_audiences = {"lab-reports"};
  Stage5TestServer server(config);
  ASSERT_TRUE(server.start_status()) << server.start_status().error().message;
  auto alice = server.signed_in("alice", kAlicePassword);
  create_project(alice, "merger terms");
  // A service the issuer does not sign for gets nothing, and nor does this coordinator itself.
  for (const char* audience : {"lab-billing", "lab-coordinator"}) {
    auto r = alice.request("POST", "/api/session/service-token", Json{{"audience", audience}}.dump());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << audience << ": " << r->body;
    EXPECT_EQ(code_of(r), "INVALID_FIELD") << audience;
  }
  // Asked from another site's page (the cookie goes along, the CSRF header cannot): refused.
  auto forged = alice.request("POST", "/api/session/service-token", Json{{"audience", "lab-reports"}}.dump(),
                              {{"X-CSRF-Token", ""}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(code_of(forged), "CSRF_REJECTED");
  auto r = alice.request("POST", "/api/session/service-token", Json{{"audience", "lab-reports"}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const Json given = body_of(r);
  EXPECT_EQ(given["audience"], "lab-reports");
  const std::string token = given.value("access_token", "");
  const std::string fingerprint = given.value("fingerprint", "");
  ASSERT_FALSE(token.empty() || fingerprint.empty());
  // The service holds the token and its fingerprint; at the coordinator the audience is wrong, whoever sends it.
  auto service = server.browser("127.0.0.2");
  auto replayed = service.request("GET", "/api/projects", {},
                                  {{"Authorization", "Bearer " + token}, {"Cookie", "__Host-fgp=" + fingerprint}});
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->status, 401);
  EXPECT_EQ(code_of(replayed), "AUTH_REQUIRED");
  EXPECT_NE(body_of(replayed)["error"].value("message", "").find("audience"), std::string::npos) << replayed->body;
  EXPECT_EQ(replayed->body.find("merger terms"), std::string::npos);
  // Alice's own session goes on.
  EXPECT_EQ(project_count(alice), 1u);
}

}  // namespace
}  // namespace lab::test
