// StageConfig: what an operator or a test may choose when starting a stage.
// Every field an operator can set from the command line is one row of the
// serve-options table (serve_options.h), which also says which stages read it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"

namespace lab::coordinator {

struct StageConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;
  // io threads; 0 = one per core. One by default: `lab bench hot-path` measured a second io thread costing
  // about 40 % more CPU per request on a 2-core machine, for no gain one request at a time.
  int threads = 1;
  std::filesystem::path state_dir;    // where the stage keeps its state; empty = in memory only
  // How long a change may wait before it reaches a written-behind state file.
  std::chrono::milliseconds flush_interval{100};
  // Session idle timeout; zero = the stage's own default.
  std::chrono::milliseconds idle_timeout{0};
  // Test hook: a stage with a statistical session-id generator seeds it with
  // only this many bits (32 = unchanged). See SessionOptions::prng_seed_bits.
  int prng_seed_bits = 32;
  // Cost of the password hashes a stage makes from its credential file at
  // start; 0 = the stage's default. Tests lower it to start fast.
  int bcrypt_cost = 0;
  // Stage 3: the lab CA's directory (`lab ca init`): ca.crt, and the server's localhost.crt/.key.
  std::string certificate_dir = "state/ca";
  // Stage 3: a session's absolute lifetime; zero = the stage's default (8 h).
  std::chrono::milliseconds absolute_timeout{0};
  // Stage 3: a connection that sends nothing this long is closed, its TLS handshake included; zero = the
  // stage's default (5 min).
  std::chrono::milliseconds connection_idle_timeout{0};
  // Stage 3: live sessions per agent; zero = the stage's default (3).
  int max_sessions_per_agent = 0;
  // Stage 3: requests per second each agent may make (a burst of twice that); zero = the stage's default (100).
  // The matrix lowers it so that a flood meets the limit within a session's short lifetime on a slow build.
  int agent_requests_per_second = 0;
  // Stage 3: requests per second each client address may make (a burst of twice that); zero = the stage's default
  // (200). A benchmark raises it so that the budget is still taken on every request but never refuses one.
  int address_requests_per_second = 0;
  // Stage 3: memory of the Argon2id hashes made at start, in KiB; 0 = the stage's default (19 MiB).
  int argon2_memory_kib = 0;
  // Stage 4: where Redis is — one node (`--redis HOST:PORT`) or the Sentinels that know the primary (repeatable
  // `--sentinel HOST:PORT`) — the ACL user and the file holding its password, the key prefix that keeps one
  // deployment apart, and the balancer addresses whose PROXY v2 header names the client.
  std::string redis;
  std::vector<std::string> sentinels;
  std::string redis_user = "lab-coordinator";
  std::string redis_password_file;
  std::string redis_prefix = "lab:";
  std::vector<std::string> proxy_protocol_from;
  // Stage 5: origins besides the server's own (https://localhost:PORT, https://127.0.0.1:PORT) from which the
  // dashboard may change state and read the API (`--web-origin`, e.g. the name a reverse proxy serves it under).
  std::vector<std::string> web_origins;
  // Stage 5: the other services of the deployment its issuer signs tokens for (`--token-audience`), which a
  // signed-in agent may ask a token for; the coordinator itself accepts only its own audience.
  std::vector<std::string> token_audiences;
  // Stage 5: how long an access token lives, in seconds; zero = the stage's default (10 min).
  int access_token_seconds = 0;
  // Controls of the stage's chain to switch off (`lab serve --disable-control NAME`), so
  // that a learner sees exactly one attack come back. Unknown names refuse the start.
  std::vector<std::string> disabled_controls;
  // What every part of the stage asks for the time; tests pass a ManualClock
  // (which must outlive the server) to expire sessions without sleeping.
  const Clock* clock = &system_clock();
};

// Stage 4's control that is a property of the deployment around the coordinators, not of an instance: whoever
// starts Redis (the lab's runner) reads this switch; the instances list it in their chain.
inline constexpr const char* kRedisAuthenticationControl = "redis-authentication";

}  // namespace lab::coordinator
