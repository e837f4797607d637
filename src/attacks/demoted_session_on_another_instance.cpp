// demoted-session-on-another-instance: an admin demotes a coordinator through one instance; the agent's session,
// opened before, goes on through another instance. Exploited when that instance still lets the session do
// coordinator work: it decided on a role or a session it had kept for itself.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class DemotedSessionOnAnotherInstance final : public Attack {
 public:
  std::string_view id() const override { return "demoted-session-on-another-instance"; }
  std::string_view title() const override { return "Use a demoted agent's session on another instance"; }

  AttackResult run(const Target& t) const override {
    const auto other = other_instance_of(t);
    if (!other) return failed("needs a stage of several coordinator instances");
    const auto insider = attacker_identity(t, Role::kCoordinator);
    // The session is opened, and used once, on the other instance: that instance has seen it with its old role.
    auto session = client::open_session(t.stage, other->endpoint, insider);
    if (!session) return failed("insider cannot log in: " + session.error().message);
    auto before = (*session)->call("create_project", Json{{"name", "before-demotion-" + t.tag}});
    if (!before) return failed("insider cannot create a project before the demotion: " + before.error().message);

    auto admin = client::open_session(t.stage, t.endpoint, admin_identity(t));
    if (!admin) return failed("admin cannot log in: " + admin.error().message);
    auto demoted = (*admin)->call("change_role", Json{{"agent_id", insider.agent_id}, {"role", "observer"}});
    if (!demoted) return failed("admin cannot demote: " + demoted.error().message);

    auto created = (*session)->call("create_project", Json{{"name", "after-demotion-" + t.tag}});
    if (created) {
      return exploited(insider.agent_id + " was demoted to observer through one instance, yet its open session "
                       "created " + created->value("id", "") + " through the other");
    }
    return refused(created.error(), "after the demotion through one instance, the session was refused by the "
                                    "other: " + describe(created.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_demoted_session_on_another_instance() {
  return std::make_unique<DemotedSessionOnAnotherInstance>();
}

}  // namespace lab::attacks
