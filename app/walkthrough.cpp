#include "walkthrough.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include "catalog/catalog.h"
#include "client/session.h"
#include "core/clock.h"
#include "core/domain.h"
#include "core/file_io.h"
#include "embedded/embedded_files.h"
#include "runner/duration_text.h"
#include "runner/process.h"
#include "security/audit_chain.h"
#include "security/lab_ca_directory.h"
#include "stage_registry.h"

namespace lab::app {
namespace {

using runner::ChildProcess;

using namespace std::chrono_literals;

struct Style {
  bool on;
  std::string bold(const std::string& s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string dim(const std::string& s) const { return on ? "\033[2m" + s + "\033[0m" : s; }
  std::string red(const std::string& s) const { return on ? "\033[31m" + s + "\033[0m" : s; }
  std::string green(const std::string& s) const { return on ? "\033[32m" + s + "\033[0m" : s; }
  std::string yellow(const std::string& s) const { return on ? "\033[33m" + s + "\033[0m" : s; }
};

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

std::string fixed(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v;
  return s.str();
}

double seconds_since(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One line saying what a worker found.
std::string summarise_result(const Json& r) {
  const std::string kind = r.value("kind", "");
  if (kind == "data_analysis") {
    const auto n = r.value("numbers", Json::object());
    std::string s = std::to_string(r.value("lines", 0)) + " lines, " + std::to_string(r.value("words", 0)) + " words";
    if (n.contains("mean")) {
      s += "; numbers min " + fixed(n.value("min", 0.0)) + " max " + fixed(n.value("max", 0.0)) + " mean " +
           fixed(n.value("mean", 0.0));
    }
    return s;
  }
  if (kind == "code_review") {
    const auto findings = r.value("findings", Json::array());
    const std::string first = findings.empty() ? "none" : findings[0].get<std::string>();
    return r.value("verdict", "") + ", " + std::to_string(findings.size()) + " findings (e.g. " + first + ")";
  }
  if (kind == "testing") {
    return std::to_string(r.value("passed", 0)) + " passed, " + std::to_string(r.value("failed", 0)) + " failed, " +
           std::to_string(r.value("invalid", 0)) + " invalid";
  }
  if (kind == "documentation") {
    return std::to_string(r.value("outline", Json::array()).size()) + " headings, " +
           std::to_string(r.value("words", 0)) + " words; missing: " + r.value("missing_sections", Json::array()).dump();
  }
  return r.dump().substr(0, 100);
}

// What the auditor wrote to its log, and what it means.
struct AuditorAccount {
  int events = 0;
  std::map<std::string, int> kinds;
  std::vector<std::string> alerts;
  std::vector<std::string> leaked;  // "agent=session id": ids anyone could read on the event stream
};

AuditorAccount read_auditor_log(const std::filesystem::path& log) {
  AuditorAccount account;
  std::istringstream lines(read_file(log).value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    const Json entry = Json::parse(line, nullptr, false);
    if (entry.is_discarded()) continue;
    ++account.events;
    const auto& e = entry["event"];
    ++account.kinds[e.value("kind", "?")];
    if (e.value("kind", "") == "session_created" && e["session"].is_string() &&
        e.value("session", "").rfind("fp:", 0) != 0) {
      account.leaked.push_back(e.value("agent_id", "") + "=" + e.value("session", ""));
    }
    for (const auto& a : entry.value("alerts", Json::array())) {
      account.alerts.push_back("[" + a.value("severity", "") + "] " + a.value("rule", "") + ": " +
                               a.value("message", ""));
    }
  }
  return account;
}

}  // namespace

runner::DemoRun run_walkthrough(const WalkthroughOptions& o, std::ostream& out) {
  const Style st{o.color};
  const auto began = std::chrono::steady_clock::now();
  runner::DemoRun run;
  run.stage = o.stage;
  run.log_dir = o.out_dir.string();
  const auto failed = [&](const std::string& why) {
    out << st.red("error: ") << why << "\n";
    run.failure = why;
    return run;
  };
  std::filesystem::remove_all(o.out_dir);
  std::filesystem::create_directories(o.out_dir);
  const auto port_file = o.out_dir / "coordinator.port";
  const auto audit_log = o.out_dir / "audit.jsonl";
  const std::string stage = std::to_string(o.stage);

  Json project_doc;
  if (o.project_file.empty()) {
    project_doc = Json::parse(*embedded::file("sample_data/valid_project.json"));
  } else {
    project_doc = Json::parse(read_file(o.project_file).value_or(""), nullptr, false);
    if (project_doc.is_discarded()) return failed(o.project_file.string() + " is not valid JSON");
  }

  out << st.bold("== Stage " + stage + ": a project from creation to completion ==") << "\n";
  // Stages with mutual TLS: a lab CA of the walkthrough's own, as `lab ca init` makes it; every process is
  // pointed at it and connects with its own certificate. Stages with accounts: every agent logs in with its lab
  // password (the agent commands' default).
  const auto& profile = client::profile_for(o.stage);
  std::vector<std::string> certificates;
  if (profile.uses_certificates()) {
    const auto dir = o.out_dir / "ca";
    if (auto made = security::prepare_lab_ca_directory(dir, client::lab_certificate_holders()); !made) {
      return failed("cannot make the lab CA: " + made.error().message);
    }
    certificates = {"--certificates", dir.string()};
    out << "lab CA       " << (dir / "ca.crt").string() << " (a certificate per agent beside it)\n";
  }
  const auto with_certificates = [&](std::vector<std::string> args) {
    args.insert(args.end(), certificates.begin(), certificates.end());
    return args;
  };
  auto coordinator = ChildProcess::spawn_self(
      with_certificates({"serve", "--stage", stage, "--port", "0", "--port-file", port_file.string(), "--state-dir",
                         (o.out_dir / "state").string()}),
      o.out_dir / "coordinator.log");
  // Stage 4 starts a whole deployment (Redis, Sentinels, three instances, HAProxy) before it writes the port file:
  // on a loaded machine, or a sanitizer build, that takes tens of seconds (each instance may take up to a minute).
  if (!wait_until([&] { return std::filesystem::exists(port_file); }, 150s)) {
    return failed("the coordinator did not start within 150 s; see " + (o.out_dir / "coordinator.log").string());
  }
  std::string port, transport;
  std::ifstream(port_file) >> port >> transport;  // "7103 tls"
  run.transport = transport;
  out << "coordinator  stage " << stage << " on 127.0.0.1:" << port << " (" << transport << ")  (pid "
      << coordinator.pid() << ")\n";

  auto auditor = ChildProcess::spawn_self(
      with_certificates({"auditor", "--stage", stage, "--port", port, "--log", audit_log.string()}),
      o.out_dir / "auditor.log");
  wait_until([&] { return std::filesystem::exists(audit_log) && !read_file(audit_log).value_or("").empty(); }, 10s);
  out << "auditor      subscribed to the event stream  (pid " << auditor.pid() << ", log " << audit_log.string()
      << ")\n";

  std::vector<ChildProcess> workers;
  for (auto s : kAllSpecialties) {
    const std::string specialty(to_string(s));
    std::string id = "worker-" + specialty;
    std::replace(id.begin(), id.end(), '_', '-');
    workers.push_back(ChildProcess::spawn_self(
        with_certificates(
            {"worker", "--stage", stage, "--port", port, "--id", id, "--specialty", specialty, "--poll-ms", "100"}),
        o.out_dir / (id + ".log")));
    out << "worker       " << std::left << std::setw(26) << id << " (pid " << workers.back().pid() << ")\n";
  }
  const auto stop_all = [&] {
    for (auto& w : workers) w.terminate();
    auditor.terminate();
    coordinator.terminate();
  };

  net::ClientOptions endpoint;
  endpoint.port = static_cast<std::uint16_t>(std::stoi(port));
  if (transport == "tls") {
    endpoint.tls = net::TlsClientFiles{.ca_file = (o.out_dir / "ca" / "ca.crt").string(),
                                       .server_name = security::kLabServerName};
  }
  // Where any name may be claimed, 'ada'; where accounts exist, the lab's coordinator alice.
  const auto lead_identity = profile.lab_identity("ada", "alice", Role::kCoordinator);
  auto lead = client::open_session(o.stage, endpoint, lead_identity);
  if (!lead) {
    stop_all();
    return failed("cannot log in: " + lead.error().message);
  }
  run.startup_seconds = seconds_since(began);
  auto& client = **lead;
  out << "\ncoordinator agent '" << lead_identity.agent_id << "' logged in as coordinator, session "
      << client.session_id.value_or("?") << "\n"
      << st.dim("(start-up, from nothing to this login: " + runner::duration_text(run.startup_seconds) + ")")
      << "\n";
  const auto project_started = std::chrono::steady_clock::now();
  Json draft = project_doc;
  draft.erase("tasks");
  auto project = client.call("create_project", draft);
  if (!project) {
    stop_all();
    return failed("create_project: " + project.error().message);
  }
  const std::string project_id = project->value("id", "");
  for (const auto& t : project_doc.value("tasks", Json::array())) {
    Json payload = t;
    payload["project_id"] = project_id;
    if (auto created = client.call("create_task", payload); created) ++run.tasks;
  }
  out << "created " << project_id << " \"" << project->value("name", "") << "\" with " << run.tasks << " tasks\n";

  Json final_state;
  run.completed = wait_until(
      [&] {
        auto state = client.call("get_project", Json{{"project_id", project_id}});
        if (!state) return false;
        final_state = *state;
        run.finished = 0;
        for (const auto& t : final_state["tasks"]) {
          run.finished += is_terminal(*task_status_from_string(t.value("status", "submitted")));
        }
        return run.finished == run.tasks;
      },
      std::chrono::seconds(o.timeout_s));
  run.project_seconds = seconds_since(project_started);
  const double walkthrough_seconds = seconds_since(began);
  stop_all();

  if (!run.completed) {
    return failed("only " + std::to_string(run.finished) + " of " + std::to_string(run.tasks) +
                  " tasks finished within " + std::to_string(o.timeout_s) + " s; see the logs in " +
                  o.out_dir.string());
  }
  out << "\n"
      << st.bold("All " + std::to_string(run.tasks) + " tasks finished " +
                 runner::duration_text(run.project_seconds) + " after the project was created")
      << st.dim(" (" + runner::duration_text(walkthrough_seconds) + " from start-up to the last task)") << "\n";
  for (const auto& t : final_state["tasks"]) {
    runner::DemoTask task{t.value("id", ""), t.value("specialty", ""), t.value("status", ""),
                          t.value("assignee", ""), summarise_result(t.value("result", Json::object()))};
    out << "  " << std::left << std::setw(8) << task.id << std::setw(15) << task.specialty << std::setw(10)
        << task.status << "by " << std::setw(26) << task.assignee << st.dim(task.result) << "\n";
    run.task_results.push_back(std::move(task));
  }

  // What the auditor saw.
  const AuditorAccount seen = read_auditor_log(audit_log);
  run.events = seen.events;
  run.alerts = seen.alerts;
  run.leaked_session_ids = static_cast<int>(seen.leaked.size());
  out << "\n" << st.bold("What the auditor saw") << " (" << audit_log.string() << "): " << seen.events << " events\n  ";
  for (const auto& [k, n] : seen.kinds) out << k << " ×" << n << "  ";
  out << "\n";
  for (const auto& a : seen.alerts) out << "  " << (a.rfind("[notice]", 0) == 0 ? a : st.yellow(a)) << "\n";
  if (!seen.leaked.empty()) {
    out << "  " << st.red("every session id went out on the open event stream") << " (V-024): ";
    for (std::size_t i = 0; i < seen.leaked.size() && i < 4; ++i) out << seen.leaked[i] << " ";
    out << (seen.leaked.size() > 4 ? "…" : "") << "\n"
        << "  anyone who subscribes, without logging in, can act as any of these agents.\n";
  }
  // A stage that keeps its own hash-chained audit log (stage 3): what it recorded, and that the chain holds.
  const auto own_log = o.out_dir / "state" / ("stage" + stage + "_audit.jsonl");
  if (std::filesystem::exists(own_log)) {
    auto verified = security::verify_audit_log(own_log);
    run.audit_chain_intact = verified.ok();
    run.audit_chain = verified ? std::to_string(verified->entries) + " entries, hash chain intact"
                               : "does NOT verify: " + verified.error().message;
    out << st.bold("The coordinator's own audit log") << " (" << own_log.string() << "): "
        << (verified ? *run.audit_chain : st.red(*run.audit_chain))
        << "  (check it yourself: ./lab audit verify " << own_log.string() << ")\n";
  }
  out << st.dim("process logs: " + o.out_dir.string() + "/*.log") << "\n";
  return run;
}

int run_walkthroughs(const WalkthroughOptions& options, const std::vector<int>& stages, std::ostream& out) {
  const auto began = std::chrono::steady_clock::now();
  runner::DemoSummary summary;
  summary.ran_at = iso8601(system_clock().now());
  summary.runs.resize(stages.size());
  std::vector<std::ostringstream> texts(stages.size());
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    runs.emplace_back([&, i] {
      WalkthroughOptions one = options;
      one.stage = stages[i];
      one.out_dir = options.out_dir / ("stage" + std::to_string(stages[i]));
      summary.runs[i] = run_walkthrough(one, texts[i]);
    });
  }
  for (auto& r : runs) r.join();
  summary.seconds = seconds_since(began);
  int failed = 0;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    out << (i ? "\n" : "") << texts[i].str();
    failed += summary.runs[i].completed ? 0 : 1;
  }
  out << "\n"
      << Style{options.color}.bold("The " + std::to_string(stages.size()) + " walkthroughs, side by side, took " +
                                   runner::duration_text(summary.seconds))
      << "\n";
  if (!runner::write_demo_summary(runner::demo_summary_file(options.out_dir), summary)) {
    out << "warning: cannot write " << runner::demo_summary_file(options.out_dir).string() << "\n";
  }
  return failed == 0 ? 0 : 1;
}

int run_walkthroughs(const WalkthroughOptions& options, std::ostream& out) {
  // The walkthrough's lead and auditor speak the agents' line protocol: it runs on the stages that serve it.
  const catalog::Surface* line = catalog::builtin_catalog().find_surface("line");
  std::vector<int> stages;
  std::string without;
  for (const auto& s : stages::implemented_stages()) {
    if (line && std::find(line->stages.begin(), line->stages.end(), s.number) != line->stages.end()) {
      stages.push_back(s.number);
    } else {
      without += (without.empty() ? "" : ", ") + std::to_string(s.number) + " (" + s.name + ")";
    }
  }
  if (!without.empty()) {
    out << "No walkthrough for stage " << without
        << ": its agents meet it over HTTPS (lab serve --stage 5, lab worker --stage 5, the browser tests in "
           "tests/browser); the matrix below attacks it.\n\n";
  }
  return run_walkthroughs(options, stages, out);
}

}  // namespace lab::app
