#include "walkthrough.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include "client/session.h"
#include "core/file_io.h"
#include "core/domain.h"
#include "runner/process.h"
#include "security/audit_chain.h"
#include "security/lab_ca_directory.h"
#include "embedded/embedded_files.h"

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

}  // namespace

int run_walkthrough(const WalkthroughOptions& o, std::ostream& out) {
  const Style st{o.color};
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
    if (project_doc.is_discarded()) {
      out << st.red("error: ") << o.project_file << " is not valid JSON\n";
      return 1;
    }
  }

  out << st.bold("== Stage " + stage + ": a project from creation to completion ==") << "\n";
  // Stages with mutual TLS: a lab CA of the walkthrough's own, as `lab ca init` makes it; every process is
  // pointed at it.
  const auto& profile = client::profile_for(o.stage);
  std::vector<std::string> certificates;
  if (profile.uses_certificates()) {
    const auto dir = o.out_dir / "ca";
    if (auto made = security::prepare_lab_ca_directory(dir, client::lab_certificate_holders()); !made) {
      out << st.red("error: ") << "cannot make the lab CA: " << made.error().message << "\n";
      return 1;
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
  if (!wait_until([&] { return std::filesystem::exists(port_file); }, 10s)) {
    out << st.red("error: ") << "the coordinator did not start; see " << (o.out_dir / "coordinator.log") << "\n";
    return 1;
  }
  std::string port, transport;
  std::ifstream(port_file) >> port >> transport;  // "7103 tls"
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
    out << st.red("error: ") << "cannot log in: " << lead.error().message << "\n";
    return 1;
  }
  auto& client = **lead;
  out << "\ncoordinator agent '" << lead_identity.agent_id << "' logged in as coordinator, session "
      << client.session_id.value_or("?") << "\n";
  Json draft = project_doc;
  draft.erase("tasks");
  auto project = client.call("create_project", draft);
  if (!project) {
    out << st.red("error: ") << "create_project: " << project.error().message << "\n";
    return 1;
  }
  const std::string project_id = project->value("id", "");
  int task_count = 0;
  for (const auto& t : project_doc.value("tasks", Json::array())) {
    Json payload = t;
    payload["project_id"] = project_id;
    if (auto created = client.call("create_task", payload); created) ++task_count;
  }
  out << "created " << project_id << " \"" << project->value("name", "") << "\" with " << task_count << " tasks\n";

  const auto started = std::chrono::steady_clock::now();
  Json final_state;
  int done = 0;
  const bool finished = wait_until(
      [&] {
        auto state = client.call("get_project", Json{{"project_id", project_id}});
        if (!state) return false;
        final_state = *state;
        done = 0;
        for (const auto& t : final_state["tasks"]) done += is_terminal(*task_status_from_string(t.value("status", "submitted")));
        return done == task_count;
      },
      std::chrono::seconds(o.timeout_s));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (auto& w : workers) w.terminate();
  auditor.terminate();
  coordinator.terminate();

  if (!finished) {
    out << st.red("only " + std::to_string(done) + " of " + std::to_string(task_count) + " tasks finished") << " within "
        << o.timeout_s << " s; see the logs in " << o.out_dir << "\n";
    return 1;
  }
  out << "\n" << st.bold("All " + std::to_string(task_count) + " tasks finished in " + fixed(seconds) + " s") << "\n";
  for (const auto& t : final_state["tasks"]) {
    out << "  " << std::left << std::setw(8) << t.value("id", "") << std::setw(15) << t.value("specialty", "")
        << std::setw(10) << t.value("status", "") << "by " << std::setw(26) << t.value("assignee", "")
        << st.dim(summarise_result(t.value("result", Json::object()))) << "\n";
  }

  // What the auditor saw.
  std::map<std::string, int> kinds;
  std::vector<std::string> alerts;
  std::vector<std::string> leaked;
  std::istringstream lines(read_file(audit_log).value_or(""));
  std::string line;
  int events = 0;
  while (std::getline(lines, line)) {
    const Json entry = Json::parse(line, nullptr, false);
    if (entry.is_discarded()) continue;
    ++events;
    const auto& e = entry["event"];
    ++kinds[e.value("kind", "?")];
    if (e.value("kind", "") == "session_created" && e["session"].is_string() &&
        e.value("session", "").rfind("fp:", 0) != 0) {
      leaked.push_back(e.value("agent_id", "") + "=" + e.value("session", ""));
    }
    for (const auto& a : entry.value("alerts", Json::array())) {
      alerts.push_back("[" + a.value("severity", "") + "] " + a.value("rule", "") + ": " + a.value("message", ""));
    }
  }
  out << "\n" << st.bold("What the auditor saw") << " (" << audit_log.string() << "): " << events << " events\n  ";
  for (const auto& [k, n] : kinds) out << k << " ×" << n << "  ";
  out << "\n";
  for (const auto& a : alerts) out << "  " << (a.rfind("[notice]", 0) == 0 ? a : st.yellow(a)) << "\n";
  if (!leaked.empty()) {
    out << "  " << st.red("every session id went out on the open event stream") << " (V-024): ";
    for (std::size_t i = 0; i < leaked.size() && i < 4; ++i) out << leaked[i] << " ";
    out << (leaked.size() > 4 ? "…" : "") << "\n"
        << "  anyone who subscribes, without logging in, can act as any of these agents.\n";
  }
  // A stage that keeps its own hash-chained audit log (stage 3): what it recorded, and that the chain holds.
  const auto own_log = o.out_dir / "state" / ("stage" + stage + "_audit.jsonl");
  if (std::filesystem::exists(own_log)) {
    auto verified = security::verify_audit_log(own_log);
    out << st.bold("The coordinator's own audit log") << " (" << own_log.string() << "): "
        << (verified ? std::to_string(verified->entries) + " entries, hash chain intact"
                     : st.red("does NOT verify: " + verified.error().message))
        << "  (check it yourself: ./lab audit verify " << own_log.string() << ")\n";
  }
  out << st.dim("process logs: " + o.out_dir.string() + "/*.log") << "\n";
  return 0;
}

int run_walkthroughs(const WalkthroughOptions& options, const std::vector<int>& stages, std::ostream& out) {
  std::vector<std::ostringstream> texts(stages.size());
  std::vector<int> results(stages.size(), 1);
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    runs.emplace_back([&, i] {
      WalkthroughOptions one = options;
      one.stage = stages[i];
      one.out_dir = options.out_dir / ("stage" + std::to_string(stages[i]));
      results[i] = run_walkthrough(one, texts[i]);
    });
  }
  for (auto& r : runs) r.join();
  int failed = 0;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    out << (i ? "\n" : "") << texts[i].str();
    failed += results[i] != 0 ? 1 : 0;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace lab::app
