#include "agents/auditor_agent.h"

#include <fstream>

#include "agents/agent_connection.h"
#include "core/clock.h"

namespace lab::agents {

namespace {

// One connected session: log in, subscribe, write every event until stopped, the duration is over, or the
// coordinator goes away (an error: run_reconnecting decides whether to come back).
Status watch(const AuditorOptions& o, std::ofstream& log, AuditRules& rules, AuditReport& report,
             std::chrono::steady_clock::time_point started) {
  auto opened = client::open_session(o.stage, o.endpoint, o.identity);
  if (!opened) return opened.error();
  auto& client = **opened;
  if (auto r = client.call("subscribe_events"); !r) return r.error();
  if (o.log) o.log("[auditor] subscribed; writing " + o.log_file.string());
  while (!(o.stop && o.stop->load())) {
    if (o.duration.count() > 0 && std::chrono::steady_clock::now() - started > o.duration) break;
    auto event = client.next_event(std::chrono::milliseconds(200));
    if (!event) {
      if (event.error().message == "timed out") continue;
      if (o.stop && o.stop->load()) break;
      return event.error();  // the coordinator went away
    }
    if (o.on_event) o.on_event(*event);
    const auto alerts = rules.observe(*event, unix_millis(system_clock().now()));
    Json entry{{"event", *event}};
    if (!alerts.empty()) {
      entry["alerts"] = Json::array();
      for (const auto& a : alerts) entry["alerts"].push_back(a.to_json());
    }
    log << entry.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    log.flush();
    ++report.events;
    for (const auto& a : alerts) {
      ++report.alerts;
      if (o.on_alert) o.on_alert(a);
    }
  }
  return ok_status();
}

}  // namespace

Result<AuditReport> run_auditor(const AuditorOptions& o) {
  if (o.log_file.has_parent_path()) std::filesystem::create_directories(o.log_file.parent_path());
  std::ofstream log(o.log_file, std::ios::app);
  if (!log) return Error{ErrorCode::kInternalError, "cannot open audit log " + o.log_file.string()};
  AuditRules rules;
  AuditReport report;
  const auto started = std::chrono::steady_clock::now();
  // Like the workers, the auditor comes back when the coordinator restarts (events sent meanwhile are not seen);
  // a refused login stops it with the reason.
  const ReconnectPolicy policy{ReconnectPolicy{}.max_attempts, o.stop, [&](const std::string& line) {
                                 if (o.log) o.log("[auditor] " + line);
                               }};
  auto done = run_reconnecting(o.stage, o.identity, policy, [&] { return watch(o, log, rules, report, started); });
  if (!done && !(o.stop && o.stop->load())) return done.error();
  return report;
}

}  // namespace lab::agents
