#include "coordinator/serve_options.h"

#include <algorithm>

namespace lab::coordinator {
namespace {

bool differs_from_default(const StageConfig& config, const ServeOption::Field& field) {
  static const StageConfig defaults;
  return std::visit([&](auto member) { return config.*member != defaults.*member; }, field);
}

std::vector<std::string> values_of(const StageConfig& config, const ServeOption::Field& field) {
  struct Render {
    const StageConfig& c;
    std::vector<std::string> operator()(std::string StageConfig::*m) const { return {c.*m}; }
    std::vector<std::string> operator()(int StageConfig::*m) const { return {std::to_string(c.*m)}; }
    std::vector<std::string> operator()(std::chrono::milliseconds StageConfig::*m) const {
      return {std::to_string((c.*m).count())};
    }
    std::vector<std::string> operator()(std::vector<std::string> StageConfig::*m) const { return c.*m; }
  };
  return std::visit(Render{config}, field);
}

std::string stage_list(const std::vector<int>& stages) {
  std::string out;
  for (int s : stages) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

}  // namespace

bool ServeOption::read_by(int stage) const {
  return stages.empty() || std::find(stages.begin(), stages.end(), stage) != stages.end();
}

std::span<const ServeOption> serve_options() {
  using C = StageConfig;
  static const std::vector<ServeOption> table{
      {"--bind", "address to listen on", {}, &C::bind_address},
      {"--threads", "io threads (default 1, the cheapest per request in lab bench; 0 = one per core)", {}, &C::threads,
       0, 256},
      {"--disable-control", "switch one control of the stage's chain off (repeatable; lab controls lists them)", {},
       &C::disabled_controls},
      {"--flush-ms", "how soon a change reaches the written-behind state file", {1, 2}, &C::flush_interval, 1, 60'000},
      {"--idle-timeout-ms", "session idle timeout (0 = the stage's default)", {2, 3, 4, 5}, &C::idle_timeout, 0, INT_MAX},
      {"--absolute-timeout-ms", "session absolute lifetime (0 = the stage's default, 8 h)", {3, 4, 5}, &C::absolute_timeout,
       0, INT_MAX},
      {"--connection-idle-timeout-ms",
       "close a connection that sends nothing this long, its TLS handshake included (0 = the stage's default: 5 min; "
       "stage 5, whose browsers keep connections open between requests, 30 s)",
       {3, 4, 5}, &C::connection_idle_timeout, 0, INT_MAX},
      {"--max-sessions", "live sessions per agent; a new login ends the oldest (0 = the stage's default, 3)", {3, 4, 5},
       &C::max_sessions_per_agent, 0, 1000},
      {"--agent-rate-limit", "requests per second each agent may make, a burst of twice that (0 = the default, 100)",
       {3, 4, 5}, &C::agent_requests_per_second, 0, 1'000'000},
      {"--address-rate-limit",
       "requests per second each client address may make, a burst of twice that (0 = the default, 200)", {3, 4, 5},
       &C::address_requests_per_second, 0, 1'000'000},
      {"--certificates", "the lab CA's directory (lab ca init): ca.crt, localhost.crt, localhost.key", {3, 4, 5},
       &C::certificate_dir},
      {"--argon2-memory-kib", "memory of the Argon2id password hashes made at start (0 = the default, 19456)", {3, 4, 5},
       &C::argon2_memory_kib, 8, 1 << 22},
      {"--redis", "one Redis node HOST:PORT to keep the state in (instead of --sentinel)", {4}, &C::redis},
      {"--sentinel", "a Sentinel HOST:PORT that knows the Redis primary (repeatable)", {4}, &C::sentinels},
      {"--redis-user", "the Redis ACL user of the coordinators", {4}, &C::redis_user},
      {"--redis-password-file", "the file holding that user's password", {4}, &C::redis_password_file},
      {"--redis-prefix", "the prefix of every key this deployment keeps (must start with lab:)", {4}, &C::redis_prefix},
      {"--proxy-protocol-from",
       "a balancer address whose PROXY v2 header names the client (repeatable; others are refused)", {4},
       &C::proxy_protocol_from},
      {"--web-origin",
       "an origin besides the server's own that may use the dashboard, e.g. https://lab.example:443 (repeatable)",
       {5}, &C::web_origins},
      {"--token-audience",
       "another service of the deployment the token issuer signs for, e.g. lab-reports (repeatable; none by default)",
       {5}, &C::token_audiences},
      {"--access-token-seconds", "how long an access token lives (0 = the stage's default, 600)", {5},
       &C::access_token_seconds, 0, 86'400},
      {"--narrow-prng-seed",
       "test hook: seed stage 2's session-id generator with only BITS bits (makes V-027's seed search take a second)",
       {2}, &C::prng_seed_bits, 1, 32},
      {"--bcrypt-cost", "cost of the password hashes made at start (0 = the stage's default, 10)", {2},
       &C::bcrypt_cost, 4, 31},
  };
  return table;
}

Status check_options_for_stage(const StageConfig& config, int stage) {
  for (const auto& option : serve_options()) {
    if (option.read_by(stage) || !differs_from_default(config, option.field)) continue;
    const bool one = option.stages.size() == 1;
    return Error{ErrorCode::kInvalidField, "stage " + std::to_string(stage) + " does not read " +
                                               std::string(option.flag) + " (only stage" + (one ? " " : "s ") +
                                               stage_list(option.stages) + (one ? " reads" : " read") + " it)"};
  }
  return ok_status();
}

std::vector<std::string> to_serve_args(const StageConfig& config, int stage) {
  std::vector<std::string> args;
  for (const auto& option : serve_options()) {
    if (!option.read_by(stage) || !differs_from_default(config, option.field)) continue;
    for (auto& value : values_of(config, option.field)) {
      args.emplace_back(option.flag);
      args.push_back(std::move(value));
    }
  }
  return args;
}

}  // namespace lab::coordinator
