// reuse-after-logout: the victim logs out; the attacker, holding a copy of the
// token, keeps using it. Exploited when the logged-out id still acts as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class ReuseAfterLogout final : public Attack {
 public:
  std::string_view id() const override { return "reuse-after-logout"; }
  std::string_view title() const override { return "Reuse a session after logout"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    const std::string token = (*victim)->session_id.value_or("");
    auto out = (*victim)->call("logout");
    if (!out) return failed("victim cannot log out: " + out.error().message);

    auto attacker = client::open_connection(from_other_host(t));
    if (!attacker) return failed("attacker cannot connect: " + attacker.error().message);
    (*attacker)->session_id = token;
    auto owner = owner_of_new_project(**attacker, "after-logout-" + t.tag);
    if (owner && *owner == victim_id.agent_id) {
      return exploited("the victim's logout of " + token + " was acknowledged, yet the same id then created a " +
                       "project owned by " + victim_id.agent_id);
    }
    if (owner) return blocked("after logout " + token + " acted as '" + *owner + "', not as the victim");
    return refused(owner.error(), "after logout " + token + " was refused: " + describe(owner.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_reuse_after_logout() { return std::make_unique<ReuseAfterLogout>(); }

}  // namespace lab::attacks
