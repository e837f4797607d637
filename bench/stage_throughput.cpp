#include "stage_throughput.h"

#include <iomanip>
#include <ostream>

#include <spdlog/spdlog.h>

#include "client/session.h"
#include "net/load_driver.h"
#include "stage_registry.h"

namespace lab::bench {
namespace {

// The identity a bench connection logs in as (a claimed name, or a lab user).
client::Identity reader(int stage) {
  return client::profile_for(stage).lab_identity("bench-reader", "bob", Role::kObserver);
}

client::Identity owner(int stage) {
  return client::profile_for(stage).lab_identity("bench-owner", "alice", Role::kCoordinator);
}

}  // namespace

ThroughputResult measure_stage_throughput(int stage, const ThroughputOptions& o) {
  ThroughputResult r{stage};
  coordinator::StageConfig config;
  config.port = 0;
  config.threads = o.server_threads;
  auto server = stages::make_stage_server(stage, config);
  if (!server) return r.error = "stage not implemented", r;
  if (auto s = server->start(); !s) return r.error = s.error().message, r;
  net::ClientOptions endpoint;
  endpoint.port = server->port();

  auto lead = client::open_session(stage, endpoint, owner(stage));
  if (!lead) return r.error = "owner login: " + lead.error().message, r;
  auto project = (*lead)->call("create_project", Json{{"name", "bench"}, {"description", "throughput workload"}});
  if (!project) return r.error = "create_project: " + project.error().message, r;
  const std::string project_id = project->value("id", "");
  for (auto s : kAllSpecialties) {
    (void)(*lead)->call("create_task", Json{{"project_id", project_id},
                                            {"specialty", to_string(s)},
                                            {"description", "bench task"},
                                            {"input", "a b c"}});
  }

  // Login latency: sequential logins on one connection.
  const auto login_start = std::chrono::steady_clock::now();
  std::vector<std::string> lines;
  for (int i = 0; i < std::max(o.login_samples, o.connections); ++i) {
    auto client = client::open_session(stage, endpoint, reader(stage));
    if (!client) return r.error = "reader login: " + client.error().message, r;
    if (i < o.login_samples) {
      r.login_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - login_start).count() /
                   (i + 1);
    }
    // One request line per connection, signed once: the workload measures the server, not the client.
    Json request{{"type", "get_project"}, {"request_id", i}, {"session_id", *(*client)->session_id},
                 {"payload", {{"project_id", project_id}}}};
    if ((*client)->hook) (*client)->hook(request);
    if (static_cast<int>(lines.size()) < o.connections) lines.push_back(request.dump());
  }

  net::LoadPlan plan;
  plan.port = server->port();
  plan.connections = o.connections;
  plan.requests_per_connection = o.requests_per_connection;
  plan.deadline = std::chrono::seconds(600);
  plan.make_request = [&](int c, int) { return lines[static_cast<std::size_t>(c)]; };
  plan.check = [](int, int, std::string_view response) {
    return response.find("\"status\":\"ok\"") != std::string_view::npos;
  };
  const auto result = net::run_load(plan);
  r.seconds = result.seconds;
  r.ok = result.ok;
  r.failed = result.rejected + result.transport_failures + result.connect_failures + (result.timed_out ? 1 : 0);
  r.requests_per_second = result.requests_per_second();
  server->stop();
  return r;
}

int run_bench(const std::string& name, const ThroughputOptions& o, std::ostream& out) {
  // Per-request server logging would measure the console, not the stage.
  if (spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  if (!name.empty() && name != "stage1" && name != "stage2") {
    out << "unknown benchmark '" << name << "' (known: stage1, stage2)\n";
    return 2;
  }
  out << "workload: " << o.connections << " logged-in connections x " << o.requests_per_connection
      << " get_project requests, server on " << o.server_threads << " io thread(s), loopback, one process\n";
  std::vector<int> stages_to_run{1};
  if (name != "stage1") stages_to_run.push_back(2);
  std::vector<ThroughputResult> results;
  bool ok = true;
  for (int s : stages_to_run) {
    const auto r = measure_stage_throughput(s, o);
    results.push_back(r);
    if (!r.error.empty()) {
      out << "stage " << s << ": could not run: " << r.error << "\n";
      ok = false;
      continue;
    }
    out << std::fixed << std::setprecision(0) << "stage " << s << ": " << r.requests_per_second << " requests/s ("
        << r.ok << " ok, " << r.failed << " failed, " << std::setprecision(2) << r.seconds << " s); login "
        << std::setprecision(1) << r.login_ms << " ms\n";
    ok = ok && r.failed == 0 && r.ok > 0;
  }
  if (results.size() == 2 && results[0].requests_per_second > 0) {
    out << std::fixed << std::setprecision(2)
        << "ratio stage2/stage1 = " << results[1].requests_per_second / results[0].requests_per_second
        << " (requests/s, same workload, same run); login stage2/stage1 = " << std::setprecision(0)
        << (results[0].login_ms > 0 ? results[1].login_ms / results[0].login_ms : 0) << "x (bcrypt cost 10)\n";
  } else {
    out << "ratio stage1/stage1 = 1.00 (the baseline later stages are measured against)\n";
  }
  return ok ? 0 : 1;
}

}  // namespace lab::bench
