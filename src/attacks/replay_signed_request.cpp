// replay-signed-request: a request line of the victim (signed, in later
// stages) is captured and sent again unchanged on the victim's own connection,
// as whatever forwards its traffic could. Exploited when the
// replay had a second effect: two tasks instead of one.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class ReplaySignedRequest final : public Attack {
 public:
  std::string_view id() const override { return "replay-signed-request"; }
  std::string_view title() const override { return "Replay a captured signed request"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "replay-target-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string pid = project->value("id", "");

    const std::string description = "replay-" + t.tag;
    auto captured = capture_requests(**victim);
    auto task = (*victim)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                    {"description", description}});
    if (!task) return failed("victim cannot create a task: " + task.error().message);
    if (captured->empty()) return failed("the victim's request line was not captured");
    const std::string line = captured->back();

    // Resent on the victim's own connection, as anything on its path that forwards its traffic can (a relay on
    // a plaintext stage, a TLS-terminating proxy on a TLS one): the same address, certificate and session, so
    // only a check of the request itself can tell the copy from the original.
    auto replayed = send_line_for_response(**victim, line);
    std::string answer = "no answer";
    if (!replayed) answer = describe(replayed.error());
    else if (replayed->value("status", "") == "ok") answer = "ok";
    else answer = describe(net::error_from_response(*replayed));

    auto tasks = tasks_with_description(**victim, pid, description);
    if (!tasks) return failed("victim cannot list its tasks: " + tasks.error().message);
    const std::string counted = std::to_string(tasks->size()) + " task(s) described '" + description + "' in " + pid;
    if (tasks->size() >= 2) {
      return exploited("the victim's create_task line (" + std::to_string(line.size()) + " bytes), resent unchanged" +
                       " on its own connection, was answered " + answer + "; " + counted + " now exist");
    }
    const std::string evidence = "the replayed create_task line was answered " + answer + "; " + counted;
    if (replayed && replayed->value("status", "") != "ok") return refused(net::error_from_response(*replayed), evidence);
    return blocked(evidence);
  }
};

}  // namespace

std::unique_ptr<Attack> make_replay_signed_request() { return std::make_unique<ReplaySignedRequest>(); }

}  // namespace lab::attacks
