#include "stage4_bench.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include "bench_project.h"
#include "client/client_profile.h"
#include "ecdsa_rate.h"
#include "redis/redis_connection.h"
#include "runner/process.h"
#include "runner/stage4_deployment.h"
#include "security/lab_ca_directory.h"
#include "server_process.h"
#include "session_load.h"

namespace lab::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Serve arguments both stages share: budgets raised far above what the load asks (see the header), room for every
// agent's session.
std::vector<std::string> unthrottled(const Stage4Options& o) {
  return {"--agent-rate-limit", "1000000", "--address-rate-limit", "1000000", "--max-sessions",
          std::to_string(o.connections + 1)};
}

// Every reader sends `requests` signed get_project lines, one at a time.
SessionLoadResult load(BenchReaders& readers, int requests, int& sent) {
  const ReaderLoad work = reader_load(readers, requests, sent);
  return run_session_load(work.connections, work.lines, 1);
}

// `calls` of every command in INFO commandstats, by lower-case name.
Result<std::map<std::string, std::uint64_t>> command_calls(redis::RedisConnection& redis) {
  auto info = redis.command({"INFO", "commandstats"});
  if (!info) return info.error();
  if (info->is_error()) return Error{ErrorCode::kInternalError, "INFO commandstats: " + info->text};
  std::map<std::string, std::uint64_t> calls;
  std::istringstream lines(info->text);
  for (std::string line; std::getline(lines, line);) {
    // cmdstat_fcall:calls=12,usec=...
    const auto colon = line.find(":calls=");
    if (!line.starts_with("cmdstat_") || colon == std::string::npos) continue;
    calls[line.substr(8, colon - 8)] = std::stoull(line.substr(colon + 7));
  }
  return calls;
}

// redis-benchmark GET with `clients` connections against the plain redis-server on `port`: requests/s.
Result<double> redis_benchmark_get(std::uint16_t port, const Stage4Options& o, const fs::path& dir) {
  const auto binary = runner::find_program("redis-benchmark");
  if (binary.empty()) return Error{ErrorCode::kInternalError, "redis-benchmark is not installed (./lab setup)"};
  const fs::path out = dir / "redis-benchmark.csv";
  fs::remove(out);
  auto run = runner::ChildProcess::spawn(binary,
                                         {"-h", "127.0.0.1", "-p", std::to_string(port), "-c",
                                          std::to_string(o.redis_clients), "-n", std::to_string(o.redis_requests),
                                          "-t", "get", "--csv"},
                                         out);
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (run.running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  if (run.running()) {
    run.terminate();
    return Error{ErrorCode::kInternalError, "redis-benchmark did not finish within 120 s"};
  }
  // "GET","98039.22","0.279",...
  std::ifstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("\"GET\",\"")) continue;
    const auto begin = line.find('"', 6) + 1;
    return std::stod(line.substr(begin, line.find('"', begin) - begin));
  }
  return Error{ErrorCode::kInternalError, "redis-benchmark printed no GET figure; see " + out.string()};
}

struct Setup {
  std::unique_ptr<runner::Stage4Deployment> stage4;
  std::unique_ptr<redis::RedisConnection> primary;  // as the coordinators' user: INFO commandstats
  std::unique_ptr<ServerProcess> stage3;
  std::unique_ptr<ServerProcess> redis;
  BenchReaders stage4_agents, stage3_agents;
};

Result<Setup> set_up(const Stage4Options& o, std::ostream& log) {
  const fs::path dir = o.work_dir / "stage4";
  fs::remove_all(dir);
  Setup s;
  const fs::path ca = dir / "ca";
  if (auto made = security::prepare_lab_ca_directory(ca, client::lab_certificate_holders()); !made) {
    return Error{ErrorCode::kInternalError, "cannot make the lab CA: " + made.error().message};
  }
  runner::Stage4DeploymentOptions d;
  d.work_dir = dir / "deployment";
  d.ca_dir = ca;
  d.balancer_port = 0;
  d.extra_serve_args = unthrottled(o);
  d.extra_serve_args.insert(d.extra_serve_args.end(), {"--argon2-memory-kib", "64"});  // logins are set-up
  d.lab_binary = o.binary;
  log << "  starting stage 4: Redis primary, replica and 3 Sentinels, 3 instances, HAProxy" << std::endl;
  LAB_ASSIGN_OR_RETURN(s.stage4, runner::Stage4Deployment::start(d));
  auto& redis = s.stage4->redis();
  LAB_ASSIGN_OR_RETURN(s.primary, redis::RedisConnection::open(redis.connection_options(redis.primary())));

  net::ClientOptions balancer{.host = "127.0.0.1", .port = s.stage4->balancer_port()};
  balancer.tls = net::TlsClientFiles{(ca / "ca.crt").string(), security::kLabServerName};
  LAB_ASSIGN_OR_RETURN(s.stage4_agents, log_in_readers(4, balancer, o.connections));

  StageLaunch three{.stage = 3, .threads = 2, .work_dir = dir, .in_memory = false, .extra_args = unthrottled(o),
                    .binary = o.binary};
  three.extra_args.insert(three.extra_args.end(), {"--argon2-memory-kib", "64"});
  log << "  starting stage 3 (sealed journal) and a plain redis-server for redis-benchmark" << std::endl;
  LAB_ASSIGN_OR_RETURN(auto stage3, ServerProcess::start(three));
  s.stage3 = std::make_unique<ServerProcess>(std::move(stage3));
  LAB_ASSIGN_OR_RETURN(s.stage3_agents, log_in_readers(3, s.stage3->endpoint(), o.connections));
  LAB_ASSIGN_OR_RETURN(auto plain, ServerProcess::start_redis(dir / "redis-yardstick"));
  s.redis = std::make_unique<ServerProcess>(std::move(plain));
  return s;
}

std::uint64_t delta(const std::map<std::string, std::uint64_t>& before,
                    const std::map<std::string, std::uint64_t>& after, const std::string& command) {
  const auto a = after.find(command);
  const auto b = before.find(command);
  return (a == after.end() ? 0 : a->second) - (b == before.end() ? 0 : b->second);
}

void round(const Stage4Options& o, Setup& s, int& sent, Stage4Figures& f) {
  const auto before = command_calls(*s.primary);
  const SessionLoadResult four = load(s.stage4_agents, o.requests, sent);
  const auto after = command_calls(*s.primary);
  const SessionLoadResult three = load(s.stage3_agents, o.requests, sent);
  auto get = redis_benchmark_get(s.redis->port(), o, o.work_dir / "stage4");
  auto verifies = ecdsa_verifications_per_cpu_second(std::chrono::milliseconds(300));
  f.failed_requests += four.failed + three.failed;
  if (four.ok == 0 || three.ok == 0 || !get || !verifies) {
    f.problems.push_back(!get        ? get.error().message
                         : !verifies ? verifies.error().message
                                     : "a stage answered no request ok; see the logs under " +
                                           (o.work_dir / "stage4").string());
    return;
  }
  f.ecdsa_ceiling_over_redis.rounds.push_back(ratio(*verifies * f.cores, *get));
  f.stage4_requests_per_second.rounds.push_back(four.requests_per_second());
  f.stage3_requests_per_second.rounds.push_back(three.requests_per_second());
  f.redis_get_per_second.rounds.push_back(*get);
  f.stage4_over_redis.rounds.push_back(ratio(four.requests_per_second(), *get));
  f.stage4_over_stage3.rounds.push_back(ratio(four.requests_per_second(), three.requests_per_second()));
  if (before && after) {
    const double requests = static_cast<double>(four.ok + four.failed);
    // The lab's functions never read with HMGET or SMEMBERS: each of these is a client's own call.
    const double fcalls = static_cast<double>(delta(*before, *after, "fcall")) / requests;
    const double reads =
        static_cast<double>(delta(*before, *after, "hmget") + delta(*before, *after, "smembers")) / requests;
    f.fcalls_per_request.rounds.push_back(fcalls);
    f.reads_per_request.rounds.push_back(reads);
  }
}

void figure(std::ostream& out, const std::string& what, const Spread& s, int decimals, const std::string& goal) {
  print_figure(out, what, s, decimals, "", goal);
}

}  // namespace

Stage4Figures measure_stage4(const Stage4Options& o, std::ostream& log) {
  Stage4Figures f;
  f.cores = std::max(1u, std::thread::hardware_concurrency());
  auto setup = set_up(o, log);
  if (!setup) {
    f.problems.push_back("set-up: " + setup.error().message);
    return f;
  }
  int sent = 0;
  for (int r = 0; r < o.rounds; ++r) {
    log << "  round " << (r + 1) << " of " << o.rounds << std::endl;
    round(o, *setup, sent, f);
  }
  return f;
}

void print_stage4(const Stage4Figures& f, const Stage4Options& o, std::ostream& out) {
  out << "\nstage 4 against its yardsticks: median of " << o.rounds
      << " interleaved round(s) [min .. max]; ratios are taken within each round\n\n";
  figure(out, "1 stage 4 requests/s / redis-benchmark GET (" + std::to_string(o.redis_clients) + " clients)",
         f.stage4_over_redis, 3, ">= 0.5");
  figure(out, "    stage 4 through HAProxy, 3 instances (requests/s)", f.stage4_requests_per_second, 0, "");
  figure(out, "    redis-benchmark GET, plain redis-server (requests/s)", f.redis_get_per_second, 0, "");
  figure(out, "    ceiling: " + std::to_string(f.cores) + " core(s) only verifying ECDSA P-256, / redis GET",
         f.ecdsa_ceiling_over_redis, 3, "");
  figure(out, "2 stage 4 / stage 3 requests/s, same agents and workload", f.stage4_over_stage3, 3, "");
  figure(out, "    stage 3, one process, sealed journal (requests/s)", f.stage3_requests_per_second, 0, "");
  figure(out, "3 Redis FCALLs per request: the shared controls, in one call", f.fcalls_per_request, 2, "<= 1");
  figure(out, "    reads per request: cache misses and get_project's own", f.reads_per_request, 2, "");
  out << "      " << o.connections << " agents from their own loopback addresses, " << o.requests
      << " signed get_project each per round, every control on (the two request-rate limits raised above the\n"
      << "      load); get_project reads the project, its task list and its 4 tasks (one pipelined call); every\n"
      << "      security write waits for the replica (WAIT 1).\n";
  if (f.failed_requests > 0) out << "  failed requests: " << f.failed_requests << "\n";
  for (const auto& p : f.problems) out << "  not measured: " << p << "\n";
}

}  // namespace lab::bench
