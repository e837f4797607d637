#include "agent_commands.h"

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>

#include "agents/auditor_agent.h"
#include "agents/event_text.h"
#include "agents/client_menu.h"
#include "agents/worker_agent.h"
#include "web/web_protocol_client.h"
#include "core/printable_text.h"
#include "security/lab_ca_directory.h"
#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = [](int) { g_stop.store(true); };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Agent output reaches a terminal: text a peer sent is shown escaped, never raw.
void print_line(const std::string& line) {
  static std::mutex m;
  std::lock_guard lock(m);
  std::cout << printable(line) << std::endl;
}

}  // namespace

std::optional<net::ClientOptions> resolve_endpoint(const AgentEndpoint& e) {
  const StageInfo* stage = stages::find_servable_stage(e.stage);
  if (!stage) {
    std::cerr << "error: " << stages::unavailable_stage(e.stage) << "\n";
    return std::nullopt;
  }
  if (e.port > 65535) {
    std::cerr << "error: --port must be 1..65535\n";
    return std::nullopt;
  }
  net::ClientOptions o;
  o.host = e.host;
  o.port = e.port < 0 ? stage->default_port : static_cast<std::uint16_t>(e.port);
  if (client::profile_for(e.stage).uses_certificates()) {
    const auto ca = e.certificates / "ca.crt";
    if (!std::filesystem::exists(ca)) {
      std::cerr << "error: stage " << e.stage << " needs the lab CA: " << ca.string()
                << " is missing (run ./lab ca init, or pass --certificates DIR)\n";
      return std::nullopt;
    }
    o.tls = net::TlsClientFiles{.ca_file = ca.string(), .server_name = security::kLabServerName};
  }
  return o;
}

int run_worker_command(const WorkerCommand& c) {
  auto endpoint = resolve_endpoint(c.endpoint);
  if (!endpoint) return 2;
  auto specialty = specialty_from_string(c.specialty);
  if (!specialty) {
    std::cerr << "error: --specialty must be one of data_analysis, code_review, testing, documentation\n";
    return 2;
  }
  install_stop_handlers();
  agents::WorkerOptions o;
  o.stage = c.endpoint.stage;
  o.endpoint = *endpoint;
  o.identity = client::Identity{c.id, Role::kWorker, c.password.empty() ? client::lab_password(c.id) : c.password};
  o.specialty = *specialty;
  o.poll_interval = std::chrono::milliseconds(c.poll_ms);
  o.max_tasks = c.max_tasks;
  o.idle_exit = std::chrono::seconds(c.idle_exit_s);
  o.stop = &g_stop;
  o.log = print_line;
  if (c.endpoint.stage == 5) {
    // The web stage: the same operations over its REST API, signed in with the password, a bearer token after.
    o.open_channel = [](const agents::WorkerOptions& w) {
      return web::WebProtocolClient::sign_in(w.endpoint, w.identity.agent_id, w.identity.password);
    };
  }
  auto report = agents::run_worker(o);
  if (!report) {
    std::cerr << "worker " << c.id << ": " << report.error().message << "\n";
    return 1;
  }
  print_line("[worker " + c.id + "] done: " + std::to_string(report->completed) + " completed, " +
             std::to_string(report->failed) + " failed, " + std::to_string(report->lost_races) +
             " claimed by others first");
  return 0;
}

int run_auditor_command(const AuditorCommand& c) {
  auto endpoint = resolve_endpoint(c.endpoint);
  if (!endpoint) return 2;
  install_stop_handlers();
  agents::AuditorOptions o;
  o.stage = c.endpoint.stage;
  o.endpoint = *endpoint;
  o.identity = client::Identity{c.id, Role::kObserver, c.password.empty() ? client::lab_password(c.id) : c.password};
  o.log_file = c.log_file.empty() ? std::filesystem::path("out") / ("audit-stage" + std::to_string(c.endpoint.stage) + ".jsonl")
                                  : c.log_file;
  o.duration = std::chrono::seconds(c.duration_s);
  o.stop = &g_stop;
  o.log = print_line;
  // What it saw, line by line (task lifecycle, logins, refusals), then any alert the event raised.
  o.on_event = [](const Json& event) { print_line(printable("[auditor] " + agents::event_text(event))); };
  o.on_alert = [](const agents::Alert& a) { print_line("ALERT [" + a.severity + "] " + a.rule + ": " + a.message); };
  auto report = agents::run_auditor(o);
  if (!report) {
    std::cerr << "auditor: " << report.error().message << "\n";
    return 1;
  }
  print_line("[auditor] done: " + std::to_string(report->events) + " events, " + std::to_string(report->alerts) +
             " alerts");
  return 0;
}

int run_client_command(const ClientCommand& c) {
  auto endpoint = resolve_endpoint(c.endpoint);
  if (!endpoint) return 2;
  std::ifstream script;
  agents::ClientMenuOptions o;
  o.stage = c.endpoint.stage;
  o.endpoint = *endpoint;
  o.out = &std::cout;
  o.in = &std::cin;
  o.hide_secrets = true;                    // a password typed at a terminal is not shown
  o.edit_lines = ::isatty(STDIN_FILENO) != 0;  // at a terminal: line editing and history
  if (!c.script.empty()) {
    script.open(c.script);
    if (!script) {
      std::cerr << "error: cannot read script " << c.script << "\n";
      return 2;
    }
    o.in = &script;
    o.echo_answers = true;
    o.hide_secrets = false;
    o.edit_lines = false;
  }
  return agents::run_client_menu(o);
}

}  // namespace lab::app
