#include "stage_throughput.h"

#include <iomanip>
#include <ostream>

#include "agents/stage_session.h"
#include "coordinator/coordinator_server.h"
#include "net/load_driver.h"
#include "stage1_insecure/stage1.h"

namespace lab::bench {
namespace {

std::unique_ptr<coordinator::CoordinatorServer> start_stage(int stage, int threads) {
  coordinator::StageConfig config;
  config.port = 0;
  config.threads = threads;
  switch (stage) {
    case 1:
      return stage1::make_server(config);
    default:
      return nullptr;
  }
}

}  // namespace

ThroughputResult measure_stage_throughput(int stage, const ThroughputOptions& o) {
  ThroughputResult r{stage};
  auto server = start_stage(stage, o.server_threads);
  if (!server || !server->start()) return r;
  net::ClientOptions endpoint;
  endpoint.port = server->port();
  auto owner = agents::open_session(stage, endpoint, agents::Identity{"bench-owner", Role::kCoordinator, ""});
  if (!owner) return r;
  auto project = (*owner)->call("create_project", Json{{"name", "bench"}, {"description", "throughput workload"}});
  if (!project) return r;
  const std::string project_id = project->value("id", "");
  for (auto s : kAllSpecialties) {
    (void)(*owner)->call("create_task", Json{{"project_id", project_id},
                                             {"specialty", to_string(s)},
                                             {"description", "bench task"},
                                             {"input", "a b c"}});
  }

  std::vector<std::string> sessions(static_cast<std::size_t>(o.connections));
  net::LoadPlan plan;
  plan.port = server->port();
  plan.connections = o.connections;
  plan.requests_per_connection = o.requests_per_connection;
  plan.deadline = std::chrono::seconds(600);
  plan.setup = [&](int c) {
    return std::vector<std::string>{
        Json{{"type", "login"},
             {"request_id", "login"},
             {"payload", {{"agent_id", "reader-" + std::to_string(c)}, {"role", "observer"}}}}
            .dump()};
  };
  const std::string request =
      Json{{"type", "get_project"}, {"request_id", 1}, {"payload", {{"project_id", project_id}}}}.dump();
  plan.make_request = [&](int, int) { return request; };
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
  if (!name.empty() && name != "stage1") {
    out << "unknown benchmark '" << name << "' (known: stage1)\n";
    return 2;
  }
  out << "workload: " << o.connections << " connections x " << o.requests_per_connection
      << " get_project requests, server on " << o.server_threads << " io thread(s), loopback\n";
  const auto s1 = measure_stage_throughput(1, o);
  out << std::fixed << std::setprecision(0) << "stage 1: " << s1.requests_per_second << " requests/s (" << s1.ok
      << " ok, " << s1.failed << " failed, " << std::setprecision(2) << s1.seconds << " s)\n";
  out << "ratio stage1/stage1 = 1.00 (the baseline later stages are measured against)\n";
  return s1.failed == 0 && s1.ok > 0 ? 0 : 1;
}

}  // namespace lab::bench
