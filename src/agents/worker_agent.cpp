#include "agents/worker_agent.h"

#include <thread>
#include <utility>

#include "agents/agent_connection.h"
#include "agents/work.h"
#include "core/printable_text.h"

namespace lab::agents {
namespace {

bool stopping(const WorkerOptions& o) { return o.stop && o.stop->load(); }

void say(const WorkerOptions& o, const std::string& line) {
  if (o.log) o.log(printable("[worker " + o.identity.agent_id + "] " + line));
}

// The work on one task, which never throws: task data comes from peers, so a
// task the worker cannot do ends "failed" with the reason as its result.
std::pair<std::string, Json> attempt_task(Specialty specialty, const Json& task) {
  const auto input = task.find("input");
  if (input != task.end() && !input->is_null() && !input->is_string()) {
    return {"failed", Json{{"error", "the task's input is not text"}}};
  }
  try {
    return {"completed", perform_work(specialty, input == task.end() || input->is_null() ? "" : input->get_ref<const std::string&>())};
  } catch (const std::exception& e) {
    return {"failed", Json{{"error", std::string("the work could not be done: ") + e.what()}}};
  }
}

// One working session on a signed-in `client` (the line protocol's, or stage 5's over HTTPS): register, then
// poll/claim/work/report. Returns an error when the coordinator went away or refused the agent (run_reconnecting
// tells them apart).
template <class Client>
Status work_with(const WorkerOptions& o, Client& client, WorkerReport& report,
                 std::chrono::steady_clock::time_point& last_work) {
  if (auto r = client.call("register_worker", Json{{"specialties", {to_string(o.specialty)}}}); !r) return r.error();
  say(o, "registered for " + std::string(to_string(o.specialty)) + " (session " + client.session_id.value_or("?") + ")");
  while (!stopping(o)) {
    Result<Json> listed = client.call("list_tasks", Json{{"status", "submitted"}, {"specialty", to_string(o.specialty)}});
    if (!listed) return listed.error();
    bool worked = false;
    for (const auto& t : listed->value("tasks", Json::array())) {
      if (stopping(o)) break;
      if (!t.is_object() || !t.contains("id") || !t["id"].is_string()) continue;
      const std::string id = t["id"].get<std::string>();
      Result<Json> claimed = client.call("claim_task", Json{{"task_id", id}});
      if (!claimed) {
        if (claimed.error().code == ErrorCode::kAlreadyClaimed) {
          ++report.lost_races;
          continue;
        }
        if (claimed.error().code == ErrorCode::kConnectionFailed) return claimed.error();
        say(o, "could not claim " + id + ": " + claimed.error().message);
        continue;
      }
      say(o, "claimed " + id + ": " + (t.contains("description") ? t["description"].dump() : std::string("-")));
      auto [status, result] = attempt_task(o.specialty, t);
      Result<Json> reported = client.call(
          "update_task_status",
          Json{{"task_id", id}, {"status", status}, {"result", result}, {"expected_version", claimed->value("version", 0)}});
      if (!reported) {
        if (reported.error().code == ErrorCode::kConnectionFailed) return reported.error();
        say(o, "could not report " + id + ": " + reported.error().message);
        continue;
      }
      say(o, id + " " + status + ": " + result.dump().substr(0, 160));
      (status == "completed" ? report.completed : report.failed)++;
      worked = true;
      last_work = std::chrono::steady_clock::now();
      if (o.max_tasks > 0 && report.completed + report.failed >= o.max_tasks) return ok_status();
    }
    if (o.idle_exit.count() > 0 && std::chrono::steady_clock::now() - last_work > o.idle_exit) return ok_status();
    if (!worked) std::this_thread::sleep_for(o.poll_interval);
  }
  return ok_status();
}

Status work_session(const WorkerOptions& o, WorkerReport& report, std::chrono::steady_clock::time_point& last_work) {
  if (o.open_channel) {
    // Another transport (stage 5's REST API): the same operations through the channel it opens.
    auto channel = o.open_channel(o);
    if (!channel) return channel.error();
    return work_with(o, **channel, report, last_work);
  }
  auto opened = client::open_session(o.stage, o.endpoint, o.identity);
  if (!opened) return opened.error();
  return work_with(o, **opened, report, last_work);
}

}  // namespace

Result<WorkerReport> run_worker(const WorkerOptions& options) {
  WorkerReport report;
  auto last_work = std::chrono::steady_clock::now();
  const ReconnectPolicy policy{ReconnectPolicy{}.max_attempts, options.stop, [&](const std::string& line) { say(options, line); }};
  auto done = run_reconnecting(options.stage, options.identity, policy,
                               [&] { return work_session(options, report, last_work); });
  if (!done && !stopping(options)) return done.error();
  return report;
}

}  // namespace lab::agents
