// lockout-instance-hopping: a password guesser spends the failed logins that lock an account (five) on one
// coordinator instance, then tries the right password on another. Exploited when that login opens a session:
// each instance counted only the failures it saw, so n instances give n times the guesses before a lock.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr int kFailuresThatLock = 5;  // stage 3's account lockout (LockoutOptions::max_failures)

class LockoutInstanceHopping final : public Attack {
 public:
  std::string_view id() const override { return "lockout-instance-hopping"; }
  std::string_view title() const override { return "Dodge an account lockout by hopping instances"; }

  AttackResult run(const Target& t) const override {
    const auto other = other_instance_of(t);
    if (!other) return failed("needs a stage of several coordinator instances");
    const auto victim_id = victim_identity(t);
    // Each guess from another address (127.0.0.40, .41, ...): no per-address budget is what stops it.
    const auto guess_from = [&](const Target& where, int n, const std::string& password) -> Result<Json> {
      auto from = where.endpoint;
      from.bind_address = "127.0.0." + std::to_string(40 + n);
      auto as_victim = victim_id;  // the attacker holds the victim's certificate (stolen with its host)
      auto conn = client::open_connection_as(t.stage, from, as_victim);
      if (!conn) return conn.error();
      client::Identity guess = victim_id;
      guess.password = password;
      if (auto r = client::login(**conn, t.stage, guess); !r) return r.error();
      return (*conn)->call("get_session_info");
    };
    std::string first;
    for (int i = 0; i < kFailuresThatLock; ++i) {
      auto r = guess_from(t, i, "wrong-guess-" + std::to_string(i));
      if (r) return failed("a wrong password logged in: no lockout to dodge");
      if (r.error().code == ErrorCode::kConnectionFailed) return failed("guess failed: " + r.error().message);
      if (i == 0) first = lab::to_string(r.error().code);
    }
    auto locked_here = guess_from(t, kFailuresThatLock, "wrong-guess-again");
    const std::string here = locked_here ? "ok" : std::string(lab::to_string(locked_here.error().code));
    auto on_other = guess_from(*other, kFailuresThatLock + 1, victim_id.password);
    const std::string story = std::to_string(kFailuresThatLock) + " wrong passwords for " + victim_id.agent_id +
                              " through one instance (first answered " + first + "; one more there answered " +
                              here + "), then the right one through the other instance";
    if (on_other && on_other->value("agent_id", "") == victim_id.agent_id) {
      return exploited(story + " logged in: a session as " + victim_id.agent_id + " with role " +
                       on_other->value("role", "?"));
    }
    if (on_other) return failed(story + " opened a session that is not the victim's");
    return refused(on_other.error(), story + " was refused: " + describe(on_other.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_lockout_instance_hopping() { return std::make_unique<LockoutInstanceHopping>(); }

}  // namespace lab::attacks
