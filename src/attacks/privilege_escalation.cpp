// privilege-escalation: a worker performs coordinator and admin work — creates
// a project, adds a task to someone else's project, changes a task it does not
// hold and makes itself admin, then uses the new role from a fresh session.
// Exploited when any of that took effect, as seen on the board.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class PrivilegeEscalation final : public Attack {
 public:
  std::string_view id() const override { return "privilege-escalation"; }
  std::string_view title() const override { return "Worker performs coordinator work"; }

  AttackResult run(const Target& t) const override {
    const auto me = attacker_identity(t, Role::kWorker);
    auto attacker = client::open_session(t.stage, from_other_host(t), me);
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);
    auto victim = client::open_session(t.stage, t.endpoint, victim_identity(t));
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "victim-project-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string pid = project->value("id", "");
    auto task = (*victim)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                    {"description", "victim task " + t.tag}});
    if (!task) return failed("victim cannot create a task: " + task.error().message);
    const std::string tid = task->value("id", "");

    std::vector<std::string> worked, refusals;
    bool transport_failed = false;
    std::optional<ErrorCode> first_refusal;
    const auto record = [&](const std::string& what, const Result<Json>& r, bool effect) {
      if (!effect && !r && !first_refusal) first_refusal = r.error().code;
      if (effect) worked.push_back(what);
      else refusals.push_back(what + ": " + (r ? std::string("no effect") : describe(r.error())));
      transport_failed = transport_failed || (!r && r.error().code == ErrorCode::kConnectionFailed);
    };

    auto own = (*attacker)->call("create_project", Json{{"name", "worker-project-" + t.tag}});
    record("create_project", own, own && own->value("owner", "") == me.agent_id);

    const std::string planted = "planted by worker " + t.tag;
    auto added = (*attacker)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                      {"description", planted}});
    auto seen = tasks_with_description(**victim, pid, planted);
    record("create_task in " + pid, added, added && seen && !seen->empty());

    auto changed = (*attacker)->call("update_task_status", Json{{"task_id", tid}, {"status", "canceled"}});
    auto after = tasks_with_description(**victim, pid, "victim task " + t.tag);
    record("update_task_status of " + tid + " to canceled", changed,
           changed && after && !after->empty() && after->front().value("status", "") == "canceled");

    // The role change counts only when it bought something: a fresh session
    // of the worker holds the admin role and does admin work with it.
    auto role = (*attacker)->call("change_role", Json{{"agent_id", me.agent_id}, {"role", "admin"}});
    client::Identity again = me;
    again.claims_role = false;
    auto fresh = client::open_session(t.stage, from_other_host(t), again);
    auto fresh_role = fresh ? (*fresh)->call("get_session_info") : Result<Json>(fresh.error());
    auto admin_work = fresh ? (*fresh)->call("create_project", Json{{"name", "escalated-" + t.tag}})
                            : Result<Json>(fresh.error());
    const std::string admin_pid = admin_work ? admin_work->value("id", "") : "";
    auto on_board = admin_pid.empty() ? Result<Json>(Error{ErrorCode::kProjectNotFound, "no project was created"})
                                      : (*victim)->call("get_project", Json{{"project_id", admin_pid}});
    record("change_role of itself to admin, then create_project " + admin_pid + " from a fresh session as admin",
           role ? fresh_role : role,
           role && fresh_role && fresh_role->value("role", "") == "admin" && on_board &&
               on_board->value("project", Json::object()).value("owner", "") == me.agent_id);

    std::string list;
    for (const auto& w : worked) list += (list.empty() ? "" : ", ") + w;
    if (!worked.empty()) {
      return exploited("worker " + me.agent_id + " succeeded with " + std::to_string(worked.size()) +
                       " of 4 privileged actions: " + list);
    }
    for (const auto& r : refusals) list += (list.empty() ? "" : "; ") + r;
    if (transport_failed) return failed("no verdict, a connection failed: " + list);
    AttackResult result = blocked("every privileged action of worker " + me.agent_id + " was refused: " + list);
    result.refusal = first_refusal;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_privilege_escalation() { return std::make_unique<PrivilegeEscalation>(); }

}  // namespace lab::attacks
