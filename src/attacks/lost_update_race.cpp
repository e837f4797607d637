// lost-update-race: two agents read the same task version and both update it
// with that expected_version. Exploited when both updates were acknowledged,
// so the second silently overwrote the first.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class LostUpdateRace final : public Attack {
 public:
  std::string_view id() const override { return "lost-update-race"; }
  std::string_view title() const override { return "Concurrent updates: the last write silently wins"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    const auto worker_id = attacker_identity(t, Role::kWorker);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto worker = client::open_session(t.stage, t.endpoint, worker_id);
    if (!worker) return failed("worker cannot log in: " + worker.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "race-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string pid = project->value("id", "");
    const std::string description = "race task " + t.tag;
    auto task = (*victim)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                    {"description", description}});
    if (!task) return failed("victim cannot create a task: " + task.error().message);
    const std::string tid = task->value("id", "");
    (void)(*worker)->call("register_worker", Json{{"specialties", Json::array({"testing"})}});
    auto claimed = (*worker)->call("claim_task", Json{{"task_id", tid}});
    if (!claimed) return failed("worker cannot claim " + tid + ": " + claimed.error().message);

    // Both writers read the task and see the same version.
    auto seen_by_worker = tasks_with_description(**worker, pid, description);
    auto seen_by_victim = tasks_with_description(**victim, pid, description);
    if (!seen_by_worker || !seen_by_victim || seen_by_worker->empty() || seen_by_victim->empty()) {
      return failed("the writers cannot read " + tid);
    }
    const auto v = seen_by_worker->front().value("version", 0);
    if (seen_by_victim->front().value("version", 0) != v) return failed("the writers read different versions");

    // Both changes are legal in either order (working -> input-required, working or
    // input-required -> failed), so only a version check can stop the second one.
    const auto update = [&](net::ProtocolClient& c, const char* status, const std::string& note) {
      return c.call("update_task_status", Json{{"task_id", tid}, {"status", status}, {"expected_version", v},
                                               {"result", Json{{"note", note}}}});
    };
    auto first = update(**worker, "input-required", "worker's result");
    auto second = update(**victim, "failed", "coordinator's result");
    const auto outcome = [](const Result<Json>& r) { return r ? std::string("ok") : describe(r.error()); };
    const std::string both = "both writers read " + tid + " at version " + std::to_string(v) + "; the worker's update got " +
                             outcome(first) + ", the coordinator's got " + outcome(second);
    if (first && second) {
      auto final_task = tasks_with_description(**victim, pid, description);
      const std::string result =
          final_task && !final_task->empty() ? final_task->front().value("result", Json()).dump() : "unreadable";
      return exploited(both + "; the second silently overwrote the first, final result " + result);
    }
    AttackResult result = blocked(both);
    if (!second) result.refusal = second.error().code;
    else if (!first) result.refusal = first.error().code;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_lost_update_race() { return std::make_unique<LostUpdateRace>(); }

}  // namespace lab::attacks
