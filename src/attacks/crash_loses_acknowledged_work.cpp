// crash-loses-acknowledged-work: 30 tasks are created and acknowledged, then
// the coordinator is killed (SIGKILL) and restarted. Exploited when any
// acknowledged task is missing afterwards.
#include <set>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

// Within one agent's burst of requests where agents are rate limited (the matrix allows 40 at once).
constexpr int kTasks = 30;

class CrashLosesAcknowledgedWork final : public Attack {
 public:
  std::string_view id() const override { return "crash-loses-acknowledged-work"; }
  std::string_view title() const override { return "A crash loses acknowledged work"; }
  bool runs_alone() const override { return true; }  // the crash must land inside the flush interval

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab");
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "durable-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string pid = project->value("id", "");

    std::set<std::string> acknowledged;
    for (int i = 0; i < kTasks; ++i) {
      auto task = (*victim)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                      {"description", "work item " + std::to_string(i)}});
      if (!task) return failed("task " + std::to_string(i + 1) + " was not acknowledged: " + task.error().message);
      acknowledged.insert(task->value("id", ""));
    }
    victim->reset();
    t.control->crash();
    if (auto s = t.control->restart(); !s) return failed("the stage did not restart: " + s.error().message);

    auto again = client::open_session(t.stage, t.control->endpoint(), victim_id);
    if (!again) return failed("victim cannot log in after the restart: " + again.error().message);
    auto listed = (*again)->call("list_tasks", Json{{"project_id", pid}});
    if (!listed) return failed("cannot list tasks after the restart: " + listed.error().message);
    std::size_t present = 0;
    for (const auto& task : listed->value("tasks", Json::array())) present += acknowledged.count(task.value("id", ""));
    const auto project_back = (*again)->call("get_project", Json{{"project_id", pid}}).ok();
    const std::size_t lost = acknowledged.size() - present;
    const std::string where = " after SIGKILL and restart (project " + pid +
                              (project_back ? " still present)" : " gone as well)");
    if (lost > 0) {
      return exploited(std::to_string(lost) + " of " + std::to_string(kTasks) + " acknowledged tasks lost" + where);
    }
    return blocked("all " + std::to_string(kTasks) + " acknowledged tasks present" + where);
  }
};

}  // namespace

std::unique_ptr<Attack> make_crash_loses_acknowledged_work() {
  return std::make_unique<CrashLosesAcknowledgedWork>();
}

}  // namespace lab::attacks
