#include "stage4_distributed/stage4.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "coordinator/property_control.h"
#include "core/file_io.h"
#include "core/json_fields.h"  // LAB_ASSIGN_OR_RETURN
#include "stage3_secure/stage3.h"
#include "stage4_distributed/redis_admission.h"
#include "store/redis/redis_certificate_shelf.h"
#include "store/redis/redis_functions.h"
#include "store/redis/redis_lockout_ledger.h"
#include "store/redis/redis_nonce_store.h"
#include "store/redis/redis_rate_budget.h"
#include "store/redis/redis_store_set.h"

namespace lab::stage4 {
namespace {

namespace fs = std::filesystem;
constexpr const char* kSealedState = "sealed-durable-state";
constexpr const char* kSharedNonces = "shared-nonces";
constexpr const char* kSharedRateBudgets = "shared-rate-budgets";
constexpr const char* kSharedLockout = "shared-lockout";

std::string first_line(std::string text) {
  const auto end = text.find_first_of("\r\n");
  if (end != std::string::npos) text.resize(end);
  return text;
}

}  // namespace

Result<redis::RedisClientOptions> redis_client_options(const coordinator::StageConfig& config) {
  redis::RedisClientOptions o;
  if (config.redis.empty() && config.sentinels.empty()) {
    return Error{ErrorCode::kInvalidField,
                 "stage 4 keeps its state in Redis: pass --redis HOST:PORT or --sentinel HOST:PORT (or run "
                 "`lab serve --stage 4` without them to start a local deployment)"};
  }
  if (!config.redis.empty() && !config.sentinels.empty()) {
    return Error{ErrorCode::kInvalidField, "pass either --redis or --sentinel, not both"};
  }
  if (!config.redis.empty()) {
    LAB_ASSIGN_OR_RETURN(o.endpoint, redis::RedisEndpoint::parse(config.redis));
  }
  for (const auto& s : config.sentinels) {
    LAB_ASSIGN_OR_RETURN(auto endpoint, redis::RedisEndpoint::parse(s));
    o.sentinels.push_back(std::move(endpoint));
  }
  if (config.redis_password_file.empty()) {
    return Error{ErrorCode::kInvalidField, "stage 4 reaches Redis as an ACL user: pass --redis-password-file FILE"};
  }
  auto password = read_file(config.redis_password_file);
  if (!password) {
    return Error{ErrorCode::kInvalidField, "cannot read the Redis password file " + config.redis_password_file};
  }
  o.credentials = redis::RedisCredentials{config.redis_user, first_line(std::move(*password))};
  o.sentinel_credentials = o.credentials;
  // Redis speaks TLS only; its certificate comes from the lab CA.
  o.tls = redis::RedisTls{.ca_file = (fs::path(config.certificate_dir) / "ca.crt").string()};
  // FIX V-014: with a replica (Sentinels), a security write is acknowledged only once the replica holds it, so a
  // failover loses no session, nonce or claim that a client was told about.
  o.replicas_to_wait_for = o.sentinels.empty() ? 0 : 1;
  o.on_connect = [](redis::RedisConnection& c) { return store::load_redis_functions(c); };
  return o;
}

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config) {
  auto client_options = redis_client_options(config);
  if (!client_options) throw std::invalid_argument(client_options.error().message);
  if (!config.redis_prefix.starts_with("lab:")) {
    throw std::invalid_argument("--redis-prefix must start with lab: (the coordinators' ACL reaches only lab:*)");
  }
  if (client_options->replicas_to_wait_for == 0) {
    spdlog::warn("stage 4 on a single Redis node: no replica acknowledges writes, a lost node loses them");
  }
  auto client = std::make_shared<redis::RedisClient>(std::move(*client_options));
  if (auto primary = client->command({"PING"}); !primary || primary->is_error()) {
    throw std::invalid_argument("stage 4 cannot use Redis: " +
                                (primary ? primary->text : primary.error().message));
  }

  store::RedisStoreOptions stores{.client = client, .prefix = config.redis_prefix, .clock = config.clock};
  if (!coordinator::is_switched_off(config.disabled_controls, kSealedState)) {
    auto keyring = stage3::sealing_keyring(config.certificate_dir);
    if (!keyring) throw std::invalid_argument(keyring.error().message);
    // FIX V-008: every value in Redis is sealed (AES-256-GCM, bound to kind, id and version): Redis, its AOF and
    // its replicas hold neither session keys nor board data, and an edited value does not open.
    stores.codec = store::RedisRecordCodec::sealed(std::move(*keyring));
  }
  // Idle expiry is the session key's TTL in Redis: every instance sees a session expire at the same moment.
  const stage3::SecureSessionOptions defaults;
  stores.session_idle_ttl = config.idle_timeout.count() > 0 ? config.idle_timeout : defaults.idle_timeout;

  stage3::SecureBackends backends;
  backends.stage = 4;
  backends.stores = std::make_shared<store::RedisStoreSet>(stores);
  using Shared = stage3::SharedControlState;
  const auto per_agent = Shared::per_agent_limits(config.agent_requests_per_second);
  const auto per_address = Shared::per_address_limits(config.address_requests_per_second);
  auto own = Shared::in_process(*config.clock, per_agent, per_address);  // what each instance would keep by itself
  if (coordinator::is_switched_off(config.disabled_controls, kSharedNonces)) {
    // Switched off: each instance remembers only the nonces it saw, so a request replayed to another is new there.
    spdlog::warn("{} is switched off: each instance keeps its own nonces", kSharedNonces);
    backends.shared.nonces = std::move(own.nonces);
  } else {
    // FIX V-034: nonces live in Redis: a request replayed to another instance is refused there too.
    backends.shared.nonces = std::make_unique<store::RedisNonceStore>(stores);
  }
  if (coordinator::is_switched_off(config.disabled_controls, kSharedRateBudgets)) {
    // Switched off: each instance counts only what reached it, so n instances give a client n budgets.
    spdlog::warn("{} is switched off: each instance keeps its own rate budgets", kSharedRateBudgets);
    backends.shared.per_address = std::move(own.per_address);
    backends.shared.logins_per_address = std::move(own.logins_per_address);
    backends.shared.per_agent = std::move(own.per_agent);
  } else {
    // FIX V-034: the budgets live in Redis, on Redis's clock: spreading requests over instances buys nothing.
    backends.shared.per_address = std::make_unique<store::RedisRateBudget>(stores, "address", per_address);
    backends.shared.logins_per_address =
        std::make_unique<store::RedisRateBudget>(stores, "login", Shared::kLoginsPerAddress);
    backends.shared.per_agent = std::make_unique<store::RedisRateBudget>(stores, "agent", per_agent);
  }
  if (!coordinator::is_switched_off(config.disabled_controls, kSharedNonces) &&
      !coordinator::is_switched_off(config.disabled_controls, kSharedRateBudgets)) {
    // One round trip per request: the session's and the agent's records from this instance's cache, checked for
    // their version, the budgets, the nonce and the touch, all in one FCALL (admit) that applies all or nothing.
    // Only while every control it covers keeps its state in Redis: an instance's own nonce cache or buckets would
    // be written by the optimistic run itself.
    backends.admission = std::make_unique<RedisAdmission>(client);
  }
  if (coordinator::is_switched_off(config.disabled_controls, kSharedLockout)) {
    // Switched off: each instance counts only the failed logins it saw, so n instances give a guesser n times
    // the guesses before a lock.
    spdlog::warn("{} is switched off: each instance keeps its own failed-login counts", kSharedLockout);
    backends.shared.lockout = std::move(own.lockout);
  } else {
    // FIX V-034: failed logins are counted, and accounts locked, in Redis: every instance sees one count.
    backends.shared.lockout = std::make_unique<store::RedisLockoutLedger>(stores);
  }
  backends.composition_controls = {
      {kSharedNonces, {"V-034"}},
      {kSharedRateBudgets, {"V-034"}},
      {kSharedLockout, {"V-034"}},
      // Read by whoever starts Redis (the lab's runner); an instance only lists it.
      {coordinator::kRedisAuthenticationControl, {"V-033"}},
  };
  // A certificate admitted at a login on one instance verifies the agent's signatures on all of them.
  backends.shared.certificates = std::make_shared<store::RedisCertificateShelf>(stores);
  if (!config.proxy_protocol_from.empty()) {
    // FIX V-004: behind the balancer the socket's peer is the balancer; its PROXY v2 header names the client,
    // accepted only from the balancer's own addresses, so address binding still binds to the client.
    backends.proxy_protocol = net::ProxyProtocolOptions{.trusted_sources = config.proxy_protocol_from};
  }
  return stage3::compose_secure_server(config, std::move(backends));
}

}  // namespace lab::stage4
