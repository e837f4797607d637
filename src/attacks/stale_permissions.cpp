// stale-permissions: an admin demotes a coordinator to observer; the agent's
// already-open session keeps working with the old role. Exploited when the
// demoted session still performs coordinator work.
#include "attacks/attack_list.h"

namespace lab::attacks {

namespace {

class StalePermissions final : public Attack {
 public:
  std::string_view id() const override { return "stale-permissions"; }
  std::string_view title() const override { return "Demoted agent's session keeps its old rights"; }

  AttackResult run(const Target& t) const override {
    const auto insider = attacker_identity(t, Role::kCoordinator);
    auto session = client::open_session(t.stage, t.endpoint, insider);
    if (!session) return failed("insider cannot log in: " + session.error().message);
    auto admin = client::open_session(t.stage, t.endpoint, admin_identity(t));
    if (!admin) return failed("admin cannot log in: " + admin.error().message);
    auto demoted = (*admin)->call("change_role", Json{{"agent_id", insider.agent_id}, {"role", "observer"}});
    if (!demoted) return failed("admin cannot demote: " + demoted.error().message);

    auto info = (*session)->call("get_session_info");
    const std::string role_in_session = info ? info->value("role", "?") : "unavailable";
    auto created = (*session)->call("create_project", Json{{"name", "after-demotion-" + t.tag}});
    if (created) {
      return exploited(insider.agent_id + " was demoted to observer, yet its open session (role still '" +
                       role_in_session + "') created " + created->value("id", ""));
    }
    return refused(created.error(), "after the demotion the old session was refused: " +
                   std::string(lab::to_string(created.error().code)) + " " + created.error().message);
  }
};

}  // namespace

std::unique_ptr<Attack> make_stale_permissions() { return std::make_unique<StalePermissions>(); }

}  // namespace lab::attacks
