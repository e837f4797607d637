// session-fixation: the attacker plants a session id, the victim logs in with
// it, the attacker then rides the victim's authenticated session. Exploited
// when a request on the planted id acts as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class SessionFixation final : public Attack {
 public:
  std::string_view id() const override { return "session-fixation"; }
  std::string_view title() const override { return "Fix the session id before the victim logs in"; }

  AttackResult run(const Target& t) const override {
    const std::string planted = "sess_planted_" + t.tag;
    auto victim_id = victim_identity(t);

    // The victim follows the attacker's link: its client presents the planted id at login.
    auto victim = client::open_connection_as(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot connect: " + victim.error().message);
    const auto& profile = client::profile_for(t.stage);
    if (auto ready = profile.before_login(**victim, victim_id); !ready) {
      return failed("victim cannot prepare its login: " + ready.error().message);
    }
    (*victim)->session_id = planted;
    auto login = (*victim)->call("login", profile.login_payload(victim_id));
    if (!login) return failed("victim cannot log in: " + login.error().message);
    const std::string issued = login->value("session_id", "");

    auto attacker = client::open_connection(from_other_host(t));
    if (!attacker) return failed("attacker cannot connect: " + attacker.error().message);
    (*attacker)->session_id = planted;
    auto created = (*attacker)->call("create_project", Json{{"name", "planted-" + t.tag}});
    if (created && created->value("owner", "") == victim_id.agent_id) {
      return exploited("the victim logged in with the planted id " + planted + " and the server kept it (issued " +
                       issued + "); the attacker then created " + created->value("id", "") + " as " +
                       victim_id.agent_id);
    }
    const std::string evidence = "the server issued " + issued + " instead of the planted id; using " + planted + ": ";
    if (created) return blocked(evidence + "the planted id acted as '" + created->value("owner", "") + "', not the victim");
    return refused(created.error(), evidence + describe(created.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_session_fixation() { return std::make_unique<SessionFixation>(); }

}  // namespace lab::attacks
