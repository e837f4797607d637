// expired-access-token (stage 5): the thief copied alice's cookies (a synced or backed-up browser profile) and uses
// them from another host once her access token's exp has passed, while her session itself is still live.
// Exploited when the expired token still lists alice's projects and her secret one.
#include <thread>

#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"
#include "core/clock.h"

namespace lab::attacks {
namespace {

class ExpiredAccessToken final : public Attack {
 public:
  std::string_view id() const override { return "expired-access-token"; }
  std::string_view title() const override { return "Use an access token after it expired"; }
  // The token must expire before its session's idle timeout ends the session: a timing the machine must keep.
  bool runs_alone() const override { return true; }
  // A token that expires well within the session's idle timeout.
  void adjust(StageSettings& settings) const override { settings.access_token_lifetime = std::chrono::seconds(1); }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    auto parts = split_jwt(victim->access_token);
    if (!parts) return failed("no verdict: the sign-in answered no readable access token: " + parts.error().message);
    const std::int64_t expires_s = parts->payload.value("exp", std::int64_t{0});
    const auto lives_ms = expires_s * 1000 - unix_millis(system_clock().now());
    if (lives_ms >= t.settings.idle_timeout.count()) {
      return failed("no verdict: the stage's access tokens outlive an idle session (this one for " +
                    std::to_string(lives_ms) + " ms more): start it with --access-token-seconds 1");
    }
    web::BrowserClient thief = thief_with_cookies_of(t, *victim->browser);
    // Until a little past exp (whole seconds), and no longer: the session's idle timeout must not be what refuses.
    const auto expiry = std::chrono::system_clock::time_point(std::chrono::seconds(expires_s));
    std::this_thread::sleep_until(expiry + std::chrono::milliseconds(50));
    const auto late_ms = unix_millis(system_clock().now()) - expires_s * 1000;
    if (late_ms >= t.settings.idle_timeout.count()) {
      return failed("no verdict: the token expired " + std::to_string(late_ms) +
                    " ms ago, past the session's idle timeout: the session is gone too");
    }
    return verdict_on_reading_secret(thief.request("GET", "/api/projects"), *victim,
                                     "with her copied cookies, " + std::to_string(late_ms) +
                                         " ms after the access token's exp");
  }
};

}  // namespace

std::unique_ptr<Attack> make_expired_access_token() { return std::make_unique<ExpiredAccessToken>(); }

}  // namespace lab::attacks
