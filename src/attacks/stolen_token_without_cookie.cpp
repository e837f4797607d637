// stolen-token-without-cookie (stage 5): the thief has alice's access token, as it leaks from a log, a proxy or a
// script, but not the HttpOnly cookie it is bound to. From another host it sends the token as a bearer token.
// Exploited when that lists alice's projects and her secret one.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

class StolenTokenWithoutCookie final : public Attack {
 public:
  std::string_view id() const override { return "stolen-token-without-cookie"; }
  std::string_view title() const override { return "Use a stolen access token without its cookie"; }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    web::HttpsClient thief(web_endpoint(t, t.other_address));
    return verdict_on_reading_secret(
        thief.request("GET", "/api/projects", {{"Authorization", "Bearer " + victim->access_token}}), *victim,
        "from " + t.other_address + " with her access token alone");
  }
};

}  // namespace

std::unique_ptr<Attack> make_stolen_token_without_cookie() { return std::make_unique<StolenTokenWithoutCookie>(); }

}  // namespace lab::attacks
