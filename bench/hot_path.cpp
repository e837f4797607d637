#include "hot_path.h"

#include <algorithm>
#include <deque>
#include <iomanip>
#include <map>
#include <ostream>

#include "bench_project.h"
#include "client/session.h"
#include "core/json_fields.h"
#include "cpu_watch.h"
#include "net/line_client.h"
#include "net/load_driver.h"
#include "server_process.h"

namespace lab::bench {
namespace {

using Lines = std::vector<std::string>;  // one request line per connection

struct Workload {
  std::string name;
  int tasks;
};
const Workload kWorkloads[] = {{"empty project", 0}, {"4 tasks", 4}};

// Runs `plan` against `server` and turns the server's and this process's CPU time into per-request figures.
Measurement measure(const ServerProcess& server, net::LoadPlan plan, Measurement m) {
  std::size_t response_bytes = 0;
  auto check = plan.check;
  plan.check = [&](int c, int i, std::string_view response) {
    if (response_bytes == 0) response_bytes = response.size();
    return !check || check(c, i, response);
  };
  plan.port = server.port();
  plan.deadline = std::chrono::seconds(300);
  const CpuWatch watch(server);
  const auto result = net::run_load(plan);
  const CpuPerRequest cpu = watch.per_request(static_cast<double>(result.ok + result.rejected), result.seconds);
  m.pipeline = plan.pipeline;
  m.response_bytes = m.response_bytes ? m.response_bytes : response_bytes;
  m.requests_per_second = result.requests_per_second();
  m.server_user_us = cpu.server_user_us;
  m.server_system_us = cpu.server_system_us;
  m.client_cpu_share = cpu.client_cpu_share;
  m.failed = result.rejected + result.transport_failures + result.connect_failures + (result.timed_out ? 1 : 0);
  return m;
}

// Logs in, builds the two projects, and gives every connection one (signed) get_project line per workload.
Result<std::map<std::string, Lines>> prepare_stage(int stage, std::uint16_t port, int connections) {
  const net::ClientOptions endpoint{.host = "127.0.0.1", .port = port};
  const auto& profile = client::profile_for(stage);
  auto lead = client::open_session(stage, endpoint, profile.lab_identity("bench-owner", "alice", Role::kCoordinator));
  if (!lead) return lead.error();
  std::map<std::string, std::string> project_of;
  for (const auto& w : kWorkloads) {
    LAB_ASSIGN_OR_RETURN(project_of[w.name], create_bench_project(**lead, "bench " + w.name, w.tasks));
  }
  std::map<std::string, Lines> lines;
  for (int c = 0; c < connections; ++c) {
    auto reader = client::open_session(stage, endpoint, profile.lab_identity("bench-reader", "bob", Role::kObserver));
    if (!reader) return reader.error();
    // Signed once: the measurement is of the server, and stages 1-2 accept a request again.
    for (const auto& w : kWorkloads) {
      Json request{{"type", "get_project"}, {"request_id", c}, {"session_id", *(*reader)->session_id},
                   {"payload", {{"project_id", project_of[w.name]}}}};
      if ((*reader)->hook) (*reader)->hook(request);
      lines[w.name].push_back(request.dump());
    }
  }
  return lines;
}

// One line of the table: a server, a workload and a depth, measured once per round.
struct Cell {
  const ServerProcess* server;
  net::LoadPlan plan;
  Measurement label;
  std::vector<Measurement> rounds;
  std::size_t table_row = 0;  // where the table shows it: servers in the order they were started
};

net::LoadPlan plan_for(const HotPathOptions& o, int depth) {
  net::LoadPlan plan{.connections = o.connections, .requests_per_connection = o.requests};
  plan.pipeline = depth;
  return plan;
}

// The round with the median server CPU (its own client share and failures), and the median requests/s over
// rounds: on a shared machine one slow round is noise, not the server's cost.
Measurement median_of(const Cell& cell) {
  std::vector<Measurement> by_cpu = cell.rounds;
  std::sort(by_cpu.begin(), by_cpu.end(), [](const auto& a, const auto& b) { return a.server_us() < b.server_us(); });
  Measurement m = by_cpu[by_cpu.size() / 2];
  std::vector<double> rates;
  for (const auto& r : cell.rounds) rates.push_back(r.requests_per_second);
  std::sort(rates.begin(), rates.end());
  m.requests_per_second = rates[rates.size() / 2];
  m.failed = 0;
  for (const auto& r : cell.rounds) {
    m.failed += r.failed;
    m.round_rates.push_back(r.requests_per_second);
    m.round_server_us.push_back(r.server_us());
  }
  return m;
}

// The size of a stage's answer to `line`, so redis serves a value as long.
std::size_t response_size(std::uint16_t port, const std::string& line) {
  net::LineClient client;
  if (!client.connect(net::ClientOptions{.host = "127.0.0.1", .port = port}).ok() || !client.send_line(line).ok()) {
    return 0;
  }
  auto reply = client.read_line();
  return reply ? reply->size() : 0;
}

}  // namespace

std::vector<Measurement> measure_hot_path(const HotPathOptions& o, std::ostream& log) {
  // Every server is started and prepared first, then each round measures every cell once, so a burst of
  // noise on the machine lands on all of them alike.
  std::deque<ServerProcess> servers;
  std::deque<Lines> lines;  // the request lines the cells' plans read
  std::vector<Cell> cells;
  std::map<std::string, std::size_t> stage1_response_size;
  for (int stage : o.stages) {
    for (int threads : o.io_threads) {
      auto server = ServerProcess::start_stage(stage, threads, o.work_dir);
      if (!server) {
        log << "stage " << stage << ": " << server.error().message << "\n";
        continue;
      }
      auto prepared = prepare_stage(stage, server->port(), o.connections);
      if (!prepared) {
        log << "stage " << stage << ": set-up failed: " << prepared.error().message << "\n";
        continue;
      }
      servers.push_back(std::move(*server));
      for (const auto& w : kWorkloads) {
        const Lines& mine = lines.emplace_back(std::move((*prepared)[w.name]));
        if (stage == 1) stage1_response_size[w.name] = response_size(servers.back().port(), mine.front());
        for (int depth : {1, o.pipeline}) {
          auto plan = plan_for(o, depth);
          plan.make_request = [&mine](int c, int) { return mine[static_cast<std::size_t>(c)]; };
          plan.check = [](int, int, std::string_view r) { return r.ends_with("\"status\":\"ok\"}"); };
          cells.push_back({&servers.back(), plan, Measurement{"stage " + std::to_string(stage), w.name, threads}, {}});
        }
      }
    }
  }
  // redis-server GET of a value as long as each stage 1 response, one at a time and pipelined.
  if (auto redis = ServerProcess::start_redis(o.work_dir / "redis"); !redis) {
    log << "redis: " << redis.error().message << "\n";
  } else {
    servers.push_back(std::move(*redis));
    for (const auto& w : kWorkloads) {
      const std::size_t size = stage1_response_size[w.name];
      if (size == 0) continue;
      const std::string key = "bench:" + std::to_string(size);
      net::LineClient setter;
      if (!setter.connect(net::ClientOptions{.host = "127.0.0.1", .port = servers.back().port()}).ok() ||
          !setter.send_line("SET " + key + " " + std::string(size, 'x')).ok() || !setter.read_line().ok()) {
        log << "redis: cannot SET the value\n";
        continue;
      }
      for (int depth : {1, o.pipeline}) {
        auto plan = plan_for(o, depth);
        plan.make_request = [key](int, int) { return "GET " + key; };
        plan.check = [size](int, int, std::string_view r) { return r.size() >= size && r.front() == '$'; };
        plan.lines_per_response = 2;
        cells.push_back({&servers.back(), plan, Measurement{"redis", w.name, 1, 1, size}, {}});
      }
    }
  }
  // Within a round, the cells of one workload and depth are measured one after the other (stage 1, stage 2,
  // redis), so each ratio the targets are stated in compares measurements a few seconds apart.
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i].table_row = i;
  const auto workload_index = [](const Cell& c) {
    for (std::size_t i = 0; i < std::size(kWorkloads); ++i) {
      if (c.label.workload == kWorkloads[i].name) return i;
    }
    return std::size(kWorkloads);
  };
  std::stable_sort(cells.begin(), cells.end(), [&](const Cell& a, const Cell& b) {
    return std::pair(a.plan.pipeline, workload_index(a)) < std::pair(b.plan.pipeline, workload_index(b));
  });
  for (int round = 1; round <= o.rounds; ++round) {
    log << "  round " << round << " of " << o.rounds << ":";
    for (auto& cell : cells) {
      cell.rounds.push_back(measure(*cell.server, cell.plan, cell.label));
      log << " " << std::fixed << std::setprecision(0) << cell.rounds.back().requests_per_second;
    }
    log << " requests/s" << std::endl;
  }
  std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.table_row < b.table_row; });
  std::vector<Measurement> out;
  for (const auto& cell : cells) {
    if (!cell.rounds.empty()) out.push_back(median_of(cell));
  }
  return out;
}

}  // namespace lab::bench
