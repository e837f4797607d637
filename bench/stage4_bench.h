// `lab bench stage4`: the distributed stage against its yardsticks, each ratio measured within one round so that
// noise on the machine falls on both sides:
//   1. stage 4 requests/s through HAProxy with three instances / redis-benchmark GET with 50 clients
//   2. stage 4 / stage 3 requests/s, the same client and workload (signed get_project from several agents)
//   3. Redis calls per request, from the primary's command statistics: FCALLs (the shared controls, goal one) and
//      reads (a cache miss, and get_project's own reads of the project and its tasks)
// Stage 4 runs its whole local deployment (a primary, its replica and three Sentinels; every security write
// waits for the replica), stage 3 its sealed journal. Both keep every control on, their two request-rate limits
// raised far above the load (by default they cap an agent at 100 requests/s, which would measure the cap).
// redis-benchmark runs against a plain redis-server of its own: what a C server answers on this machine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "stage3_bench.h"  // Spread

namespace lab::bench {

struct Stage4Options {
  int rounds = 3;
  int connections = 6;   // agents, each on a connection of its own from a loopback address of its own
  int requests = 400;    // per connection, stage and round
  int redis_clients = 50;
  int redis_requests = 100'000;  // redis-benchmark -n, per round
  std::filesystem::path work_dir = "out/bench";  // everything goes under work_dir/stage4
  std::filesystem::path binary;                  // the lab executable; empty = this one
};

struct Stage4Figures {
  Spread stage4_requests_per_second, stage3_requests_per_second, redis_get_per_second;
  Spread stage4_over_redis, stage4_over_stage3;
  // What a signed request can reach at most on this machine: every core doing nothing but the one ECDSA P-256
  // verification each request needs, over redis-benchmark's GETs.
  Spread ecdsa_ceiling_over_redis;
  unsigned cores = 0;
  // Per request, from INFO commandstats: FCALLs of the lab's functions, and the reads clients sent (HMGET,
  // SMEMBERS; the functions themselves read with HGET, EXISTS and TIME, which are not counted).
  Spread fcalls_per_request, reads_per_request;
  std::uint64_t failed_requests = 0;
  std::vector<std::string> problems;  // what could not be measured, and why
};

Stage4Figures measure_stage4(const Stage4Options& options, std::ostream& log);
void print_stage4(const Stage4Figures& figures, const Stage4Options& options, std::ostream& out);

}  // namespace lab::bench
