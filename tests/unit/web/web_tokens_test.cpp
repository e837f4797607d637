// The web stage's token pieces, one at a time: access tokens (and the algorithm confusions they must refuse),
// the verified-token cache, refresh token families, the deny-list, CSRF tokens and cookies.
#include <gtest/gtest.h>

#include <jwt/jwt.hpp>

#include "core/clock.h"
#include "security/digest.h"
#include "web/cookies.h"
#include "web/web_tokens.h"

namespace lab::web {
namespace {

AccessClaims alice() {
  AccessClaims c;
  c.subject = "alice";
  c.role = Role::kCoordinator;
  c.session = "s-1";
  c.token_id = "jti-1";
  c.fingerprint = security::sha256_hex("cookie");
  return c;
}

class AccessTokensTest : public ::testing::Test {
 protected:
  AccessTokensTest() {
    auto made = WebTokens::make({}, clock);
    EXPECT_TRUE(made);
    tokens = std::move(*made);
  }
  ManualClock clock;
  std::unique_ptr<WebTokens> tokens;

  // A token with these claims, signed by cpp-jwt with `algorithm` and `key` (what an attacker can make).
  std::string forge(std::string_view algorithm, const std::string& key, std::int64_t exp_offset = 300,
                    std::string_view audience = "lab-coordinator") {
    jwt::jwt_object t{jwt::params::algorithm(jwt::string_view(algorithm.data(), algorithm.size())),
                      jwt::params::secret(key)};
    const std::int64_t now = unix_seconds(clock.now());
    t.add_claim("iss", tokens->access.options().issuer)
        .add_claim("aud", std::string(audience))
        .add_claim("sub", "admin")
        .add_claim("role", "admin")
        .add_claim("sid", "s-1")
        .add_claim("jti", "j")
        .add_claim("fgp", security::sha256_hex("cookie"))
        .add_claim("iat", now)
        .add_claim("exp", now + exp_offset);
    std::error_code ec;
    return t.signature(ec);
  }
};

TEST_F(AccessTokensTest, ATokenItIssuedVerifiesWithEveryClaim) {
  auto token = tokens->access.issue(alice());
  ASSERT_TRUE(token) << token.error().message;
  auto claims = tokens->access.verify(*token);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->subject, "alice");
  EXPECT_EQ(claims->role, Role::kCoordinator);
  EXPECT_EQ(claims->session, "s-1");
  EXPECT_EQ(claims->token_id, "jti-1");
  EXPECT_EQ(claims->fingerprint, security::sha256_hex("cookie"));
  EXPECT_EQ(claims->expires_s - claims->issued_s, 600);
}

TEST_F(AccessTokensTest, HS256KeyedWithThePublicKeyIsRefused) {
  // Algorithm confusion: the verifier's public key used as an HMAC secret.
  const std::string forged = forge("HS256", tokens->access.public_key_pem());
  ASSERT_FALSE(forged.empty());
  auto claims = tokens->access.verify(forged);
  EXPECT_FALSE(claims);
}

TEST_F(AccessTokensTest, AnotherKeysES256TokenIsRefused) {
  auto other = security::SigningKey::generate();
  ASSERT_TRUE(other);
  EXPECT_FALSE(tokens->access.verify(forge("ES256", *other->to_pem())));
}

TEST_F(AccessTokensTest, ATokenForAnotherServiceOfTheIssuerIsRefusedHere) {
  // One issuer, one key, two services: a token for the other one carries a valid signature and is still not for
  // this one — unless the audience check is off.
  auto key = security::SigningKey::generate();
  ASSERT_TRUE(key);
  AccessTokenOptions options;
  options.other_audiences = {"lab-reports"};
  auto issuer = AccessTokens::make(*key, options, clock);
  options.check_audience = false;
  auto careless = AccessTokens::make(*key, options, clock);
  ASSERT_TRUE(issuer && careless);
  auto token = issuer->issue_for_service(alice(), "lab-reports");
  ASSERT_TRUE(token) << token.error().message;
  const auto refused = issuer->verify(*token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAuthRequired);
  EXPECT_NE(refused.error().message.find("audience"), std::string::npos) << refused.error().message;
  auto believed = careless->verify(*token);
  ASSERT_TRUE(believed) << believed.error().message;
  EXPECT_EQ(believed->subject, "alice");
}

TEST_F(AccessTokensTest, TokensAreIssuedOnlyForTheServicesNamedAtStart) {
  AccessTokenOptions options;
  options.other_audiences = {"lab-reports"};
  auto key = security::SigningKey::generate();
  ASSERT_TRUE(key);
  auto issuer = AccessTokens::make(*key, options, clock);
  ASSERT_TRUE(issuer);
  // Neither an unnamed service nor this coordinator itself: a token for here comes only with its cookie.
  for (std::string_view audience : {"lab-billing", "lab-coordinator", ""}) {
    const auto token = issuer->issue_for_service(alice(), audience);
    ASSERT_FALSE(token) << audience;
    EXPECT_EQ(token.error().code, ErrorCode::kInvalidField);
  }
}

TEST_F(AccessTokensTest, ExpiryFollowsTheLabsClock) {
  auto token = tokens->access.issue(alice());
  ASSERT_TRUE(token);
  clock.advance(std::chrono::seconds(599));
  EXPECT_TRUE(tokens->access.verify(*token));
  EXPECT_TRUE(tokens->verified.verify(*token));
  clock.advance(std::chrono::seconds(1));
  EXPECT_FALSE(tokens->access.verify(*token));
  EXPECT_FALSE(tokens->verified.verify(*token)) << "the cache must not outlive the token";
}

TEST_F(AccessTokensTest, ATokenWithoutItsFingerprintClaimIsRefused) {
  AccessClaims c = alice();
  c.fingerprint.clear();
  auto token = tokens->access.issue(c);
  ASSERT_TRUE(token);
  auto claims = tokens->access.verify(*token);
  ASSERT_FALSE(claims);
  EXPECT_NE(claims.error().message.find("required claim"), std::string::npos);
}

TEST_F(AccessTokensTest, TheCacheAnswersRepeatsWithoutVerifyingAgain) {
  auto token = tokens->access.issue(alice());
  ASSERT_TRUE(token);
  EXPECT_TRUE(tokens->verified.verify(*token));
  EXPECT_TRUE(tokens->verified.verify(*token));
  EXPECT_EQ(tokens->verified.size(), 1u);
  EXPECT_FALSE(tokens->verified.verify(*token + "x"));
  EXPECT_EQ(tokens->verified.size(), 1u) << "a refused token is not cached";
}

TEST(RefreshTokensTest, EveryUseRotatesAndAReuseRevokesTheFamily) {
  ManualClock clock;
  RefreshTokens refresh(clock, std::chrono::hours(1));
  const std::string first = refresh.issue("s-1");
  const Rotation second = refresh.rotate(first);
  ASSERT_EQ(second.outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(second.session, "s-1");
  EXPECT_NE(second.token, first);
  EXPECT_EQ(refresh.rotate(first).outcome, RefreshOutcome::kRaced) << "another tab, a moment later: no harm";
  EXPECT_EQ(refresh.live_families(), 1u);
  clock.advance(RefreshTokens::kGrace);
  const Rotation reuse = refresh.rotate(first);
  EXPECT_EQ(reuse.outcome, RefreshOutcome::kReused);
  EXPECT_EQ(reuse.session, "s-1");
  EXPECT_EQ(refresh.rotate(second.token).outcome, RefreshOutcome::kUnknown) << "the family is gone";
  EXPECT_EQ(refresh.live_families(), 0u);
}

TEST(RefreshTokensTest, ExpiredAndUnknownTokensRotateNothing) {
  ManualClock clock;
  RefreshTokens refresh(clock, std::chrono::seconds(60));
  const std::string token = refresh.issue("s-1");
  EXPECT_EQ(refresh.rotate("0000").outcome, RefreshOutcome::kUnknown);
  clock.advance(std::chrono::seconds(61));
  EXPECT_EQ(refresh.rotate(token).outcome, RefreshOutcome::kUnknown);
}

TEST(TokenDenylistTest, ADeniedIdIsRememberedUntilItsTokenWouldExpire) {
  ManualClock clock;
  TokenDenylist denylist(clock);
  const std::int64_t now = unix_seconds(clock.now());
  denylist.deny("j1", now + 10);
  EXPECT_TRUE(denylist.denied("j1"));
  EXPECT_FALSE(denylist.denied("j2"));
  clock.advance(std::chrono::seconds(10));
  EXPECT_FALSE(denylist.denied("j1"));
}

TEST(CsrfTokensTest, ATokenHoldsForItsSessionOnlyAndOnlyWhenHeaderAndCookieAgree) {
  CsrfTokens csrf(security::Key256::random());
  const std::string token = csrf.issue("s-1");
  EXPECT_TRUE(csrf.verify(token, token, "s-1"));
  EXPECT_FALSE(csrf.verify(token, token, "s-2"));
  EXPECT_FALSE(csrf.verify(token, "", "s-1"));
  EXPECT_FALSE(csrf.verify("", "", "s-1"));
  std::string altered = token;
  altered.back() = altered.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(csrf.verify(altered, altered, "s-1"));
  EXPECT_FALSE(CsrfTokens(security::Key256::random()).verify(token, token, "s-1")) << "another server's key";
}

TEST(CookiesTest, HardenedCookiesCarryThePrefixAndEveryAttribute) {
  EXPECT_EQ(set_cookie("fgp", "v", {}), "__Host-fgp=v; Path=/; Secure; HttpOnly; SameSite=Strict");
  EXPECT_EQ(set_cookie("csrf", "v", {.http_only = false}), "__Host-csrf=v; Path=/; Secure; SameSite=Strict");
  EXPECT_EQ(set_cookie("access", "v", {.max_age = std::chrono::seconds(600)}),
            "__Host-access=v; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=600");
  EXPECT_EQ(set_cookie("fgp", "v", {.hardened = false}), "fgp=v; Path=/; SameSite=None; Secure");
  EXPECT_NE(expire_cookie("fgp", {}).find("Max-Age=0"), std::string::npos);
}

TEST(CookiesTest, ReadsOneCookieOutOfAHeader) {
  EXPECT_EQ(cookie_value("a=1; __Host-fgp=abc; b=2", "__Host-fgp"), "abc");
  EXPECT_EQ(cookie_value("a=1;b=\"q\"", "b"), "q");
  EXPECT_EQ(cookie_value("a=1", "fgp"), std::nullopt);
  EXPECT_EQ(cookie_value("xfgp=1", "fgp"), std::nullopt);
}

}  // namespace
}  // namespace lab::web
