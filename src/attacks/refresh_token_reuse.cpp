// refresh-token-reuse (stage 5): the thief copied alice's cookies, refresh token included. Alice's page then
// refreshes her access token, as it does every few minutes; the thief presents the refresh token it holds, now
// used once, from another host. Exploited when that gives the thief fresh tokens that list alice's secret project.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

class RefreshTokenReuse final : public Attack {
 public:
  std::string_view id() const override { return "refresh-token-reuse"; }
  std::string_view title() const override { return "Reuse a refresh token its owner already used"; }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    web::BrowserClient thief = thief_with_cookies_of(t, *victim->browser);
    auto refreshed = victim->browser->request("POST", "/api/session/refresh", "{}");
    if (!refreshed || refreshed->status != 200) {
      return failed("no verdict: alice's own refresh failed: " +
                    (refreshed ? describe(*refreshed) : refreshed.error().message));
    }
    auto reused = thief.request("POST", "/api/session/refresh", "{}");
    if (!reused) return failed("no verdict: the thief's refresh failed: " + reused.error().message);
    if (reused->status != 200) {
      return verdict_on_reading_secret(reused, *victim, "presenting the refresh token alice had already used");
    }
    return verdict_on_reading_secret(thief.request("GET", "/api/projects"), *victim,
                                     "with the tokens its reused refresh token was given");
  }
};

}  // namespace

std::unique_ptr<Attack> make_refresh_token_reuse() { return std::make_unique<RefreshTokenReuse>(); }

}  // namespace lab::attacks
