// token-after-logout (stage 5): the thief copied alice's cookies; alice signs out, as told to after using a shared
// computer, and the thief then uses the copy from another host. Exploited when it still lists her projects.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

class TokenAfterLogout final : public Attack {
 public:
  std::string_view id() const override { return "token-after-logout"; }
  std::string_view title() const override { return "Use an access token after its owner signed out"; }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    web::BrowserClient thief = thief_with_cookies_of(t, *victim->browser);
    auto out = victim->browser->request("DELETE", "/api/session");
    if (!out || out->status != 200) {
      return failed("no verdict: alice cannot sign out: " + (out ? describe(*out) : out.error().message));
    }
    return verdict_on_reading_secret(thief.request("GET", "/api/projects"), *victim,
                                     "with her cookies copied before she signed out");
  }
};

}  // namespace

std::unique_ptr<Attack> make_token_after_logout() { return std::make_unique<TokenAfterLogout>(); }

}  // namespace lab::attacks
