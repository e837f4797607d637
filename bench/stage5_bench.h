// `lab bench stage5`: the web stage against its yardsticks, each ratio measured within one round so that noise on
// the machine falls on both sides:
//   1. authenticated API GETs/s (a project read through every control: token, cookie binding, revocation, rate
//      limits, RBAC, schema) / the same server's static responses/s, both by wrk over HTTPS keep-alive with 256
//      connections, and the API's 99th percentile latency
//   2. live dashboard subscribers held at once, and how many of them received one task event
//   3. sign-in latency with Argon2id, quiet and while a sign-in flood from other addresses is under way
// The stage runs as `lab serve --stage 5` with its own lab CA, every control on, its two request-rate limits
// raised far above the load (they would otherwise measure the cap). Loopback only; bounded in count and time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "spread.h"

namespace lab::bench {

struct Stage5Options {
  int rounds = 3;
  int connections = 256;             // wrk -c
  int wrk_threads = 2;               // wrk -t
  int server_threads = 2;            // the stage's io threads (wrk shares the machine's cores with it)
  int wrk_seconds = 3;  // per run
  int subscribers = 1000;
  int sign_ins = 6;   // per round, quiet and under the flood each
  int flooders = 8;   // flooding addresses
  std::filesystem::path work_dir = "out/bench";  // everything goes under work_dir/stage5
  std::filesystem::path binary;                  // the lab executable; empty = this one
};

struct Stage5Figures {
  Spread static_per_second, api_per_second, api_over_static, api_p99_ms, static_p99_ms;
  // The API at half the capacity its round measured, the connections paced: the latency of a loaded, not a
  // saturated, server.
  Spread api_paced_per_second, api_paced_p99_ms;
  long long api_non_2xx = 0;  // answers that were not 200 (a refusal would measure the refusal)
  Spread subscribers_held, subscribers_received, delivery_ms;
  int subscribers_requested = 0;
  Spread sign_in_quiet_ms, sign_in_flood_ms, flood_over_quiet;
  std::map<int, std::uint64_t> flood_answers;  // HTTP status -> count
  int failed_sign_ins = 0;
  std::vector<std::string> problems;
};

Stage5Figures measure_stage5(const Stage5Options& options, std::ostream& log);
void print_stage5(const Stage5Figures& figures, const Stage5Options& options, std::ostream& out);

}  // namespace lab::bench
