// stale-permissions: an admin demotes a coordinator to observer; the agent's
// already-open session keeps working with the old role. Exploited when the
// demoted session still performs coordinator work. The evidence also shows
// the other half of the same flaw: a worker promoted to coordinator whose
// open session does not see the promotion.
#include "attacks/attack_list.h"

namespace lab::attacks {

namespace {

// The other half: a worker is promoted; which role does its open session carry? Told as a sentence for the
// evidence. It asks the session itself (get_session_info), so no permission check refuses anything on the way.
std::string promotion_half(const Target& t, net::ProtocolClient& admin) {
  const auto worker = attacker_identity(t, Role::kWorker);
  auto session = client::open_session(t.stage, t.endpoint, worker);
  if (!session) return "(the promotion half could not run: " + session.error().message + ")";
  auto promoted = admin.call("change_role", Json{{"agent_id", worker.agent_id}, {"role", "coordinator"}});
  if (!promoted) return "(the admin could not promote " + worker.agent_id + ": " + promoted.error().message + ")";
  auto info = (*session)->call("get_session_info");
  if (info) {
    const std::string role = info->value("role", "?");
    return role == "coordinator"
               ? "The promotion of " + worker.agent_id + " to coordinator was seen by its open session at once."
               : "The other half: " + worker.agent_id + ", promoted to coordinator, still had role '" + role +
                     "' in its open session: a promotion is not seen either.";
  }
  if (info.error().code != ErrorCode::kAuthRequired) {
    return "(the promoted agent's session answered " + std::string(lab::to_string(info.error().code)) + ")";
  }
  auto fresh = client::open_session(t.stage, t.endpoint, worker);
  auto again = fresh ? (*fresh)->call("get_session_info") : Result<Json>(fresh.error());
  return "The promotion of " + worker.agent_id + " ended its open session (AUTH_REQUIRED); its next login " +
         (again ? "carried role '" + again->value("role", "?") + "'." : "failed: " + again.error().message + ".");
}

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
    const std::string other_half = " " + promotion_half(t, **admin);
    if (created) {
      return exploited(insider.agent_id + " was demoted to observer, yet its open session (role still '" +
                       role_in_session + "') created " + created->value("id", "") + "." + other_half);
    }
    return refused(created.error(), "after the demotion the old session was refused: " +
                                        std::string(lab::to_string(created.error().code)) + " " +
                                        created.error().message + "." + other_half);
  }
};

}  // namespace

std::unique_ptr<Attack> make_stale_permissions() { return std::make_unique<StalePermissions>(); }

}  // namespace lab::attacks
