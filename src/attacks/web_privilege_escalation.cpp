// web-privilege-escalation (stage 5): bob, a worker, signed in to the dashboard's API from another host, does a
// coordinator's and an admin's work: he creates a project, and makes himself admin, signs in again and opens the
// admin's list of every live session. Exploited when the project is on alice's board or the admin view answered
// bob's new session.
#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

class WebPrivilegeEscalation final : public Attack {
 public:
  std::string_view id() const override { return "web-privilege-escalation"; }
  std::string_view title() const override { return "Worker does coordinator and admin work over the API"; }

  AttackResult run(const Target& t) const override {
    auto alice = signed_in_browser(t, "alice");
    if (!alice) return failed("no verdict: " + alice.error().message);
    auto bob = signed_in_browser(t, "bob", t.other_address);
    if (!bob) return failed("no verdict: " + bob.error().message);
    const std::string name = "worker's own project " + t.tag;
    auto created = (*bob)->request("POST", "/api/projects", Json{{"name", name}}.dump());
    auto promoted = (*bob)->request("POST", "/api/agents/bob/role", Json{{"role", "admin"}}.dump());
    if (!created || !promoted) {
      return failed("no verdict: bob's requests failed: " + (created ? promoted.error().message : created.error().message));
    }
    // The evidence: alice's board, and what bob's next session may open.
    std::vector<std::string> done;
    auto board = (*alice)->request("GET", "/api/projects");
    if (board && board->status == 200 && board->body.find(name) != std::string::npos) {
      done.push_back("created the project '" + name + "', now on alice's board");
    }
    if (auto again = signed_in_browser(t, "bob", t.other_address)) {
      auto sessions = (*again)->request("GET", "/api/admin/sessions");
      if (sessions && sessions->status == 200 && sessions->body.find("\"sessions\"") != std::string::npos) {
        done.push_back("made himself admin: his next session read the admin's list of live sessions");
      }
    }
    if (!done.empty()) {
      std::string evidence = "bob, a worker, from " + t.other_address;
      for (std::size_t i = 0; i < done.size(); ++i) evidence += (i ? "; and " : " ") + done[i];
      return exploited(evidence);
    }
    const auto create_refusal = refusal_in(*created);
    const auto promote_refusal = refusal_in(*promoted);
    if (create_refusal && promote_refusal && *create_refusal == *promote_refusal) {
      AttackResult r = blocked("bob was refused both: creating a project (" + describe(*created) +
                               ") and making himself admin (" + describe(*promoted) + ")");
      r.refusal = *create_refusal;
      return r;
    }
    return failed("no verdict: creating a project answered " + describe(*created) + ", the role change " +
                  describe(*promoted) + ", and neither shows on the board");
  }
};

}  // namespace

std::unique_ptr<Attack> make_web_privilege_escalation() { return std::make_unique<WebPrivilegeEscalation>(); }

}  // namespace lab::attacks
