// forge-with-another-agents-key: an insider with a credential of its own (an
// account, and on stage 3 a lab certificate and its private key) has stolen
// the victim's session id, but not the victim's key. From the same host, it
// sends a request for the victim's session signed the way its own requests
// are: with its own key. Exploited when that request runs as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class ForgeWithAnotherAgentsKey final : public Attack {
 public:
  std::string_view id() const override { return "forge-with-another-agents-key"; }
  std::string_view title() const override { return "Sign for a stolen session with one's own key"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    // Stolen out of band (a log, a crash dump, a shoulder): the id only, never the victim's key.
    const std::string stolen = (*victim)->session_id.value_or("");

    // The insider logs in as itself: its connection, certificate and signing hook are its own.
    const auto me = attacker_identity(t);
    auto insider = client::open_session(t.stage, t.endpoint, me);
    if (!insider) return failed("the insider cannot log in as itself: " + insider.error().message);
    const std::string own_session = (*insider)->session_id.value_or("");
    (*insider)->session_id = stolen;
    const auto sent = capture_requests(**insider);
    auto created = (*insider)->call("create_project",
                                    Json{{"name", "forged-" + t.tag}, {"description", "signed by " + me.agent_id}});
    const bool signed_request = !sent->empty() && Json::parse(sent->back(), nullptr, false).contains("auth");
    const std::string what = me.agent_id + " sent a create_project for " + victim_id.agent_id + "'s session " +
                             stolen.substr(0, 12) + "… " +
                             (signed_request ? "signed with its own key" : "unsigned (the stage signs nothing)") +
                             " (its own session: " + own_session.substr(0, 12) + "…)";
    if (created && created->value("owner", "") == victim_id.agent_id) {
      return exploited(what + ", and it ran as " + victim_id.agent_id + ": project " + created->value("id", "") +
                       " is owned by the victim");
    }
    if (created) return blocked(what + "; it was answered, but as '" + created->value("owner", "") + "'");
    return refused(created.error(), what + "; refused: " + describe(created.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_forge_with_another_agents_key() { return std::make_unique<ForgeWithAnotherAgentsKey>(); }

}  // namespace lab::attacks
