// `lab bench stage3`: the secure stage against its yardsticks, each ratio
// measured within one run so that noise on the machine falls on both sides:
//   1. signed requests/s per server core / ECDSA P-256 verifications/s on one core
//   2. stage 3 / stage 1 requests/s, same client, same workload
//   3. session validation with a million live sessions: validations/s per core, bytes per session
//   4. acknowledged durable task writes/s (sealed journal) / raw SQLite synchronous=FULL commits/s
//   5. login latency (p50, p99) and logins/s with Argon2id while a login flood is under way
// Every measurement is set up once, then run `rounds` times, interleaved; the
// report gives each figure's median and its range over the rounds.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "login_latency.h"
#include "session_validation.h"
#include "signed_requests.h"
#include "spread.h"

namespace lab::bench {

struct Stage3Options {
  int rounds = 3;
  SignedRequestOptions requests;
  SessionValidationOptions validation;
  std::chrono::milliseconds ecdsa_cpu_budget{300};  // per round
  int durable_writers = 8;
  int durable_writes = 40;  // per writer and round
  LoginLatencyOptions logins;
  std::filesystem::path work_dir = "out/bench";  // everything goes under work_dir/stage3
  std::filesystem::path binary;                  // the lab executable; empty = this one
};


struct Stage3Figures {
  // 1 and 2
  Spread ecdsa_per_cpu_second, stage3_per_server_core_second, signed_over_ecdsa;
  Spread stage1_requests_per_second, stage3_requests_per_second, stage3_over_stage1;
  Spread stage1_server_us, stage3_server_us;
  std::uint64_t failed_requests = 0;
  // 3
  int sessions = 0;
  double bytes_per_session = 0;
  Spread validations_per_cpu_second;
  Spread store_lookups_per_cpu_second;
  Spread id_decodes_per_cpu_second;
  // 4
  Spread raw_commits_per_second, journal_acks_per_second, durable_ratio;
  // 5
  Spread login_p50_ms, login_p99_ms, logins_per_second, flood_per_second;
  int failed_logins = 0;
  std::map<std::string, std::uint64_t> flood_answers;
  // What could not be measured, and why.
  std::vector<std::string> problems;
};

Stage3Figures measure_stage3(const Stage3Options& options, std::ostream& log);
void print_stage3(const Stage3Figures& figures, const Stage3Options& options, std::ostream& out);

}  // namespace lab::bench
