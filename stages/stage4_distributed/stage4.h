// Stage 4 (distributed): stage 3's full control set, with everything the coordinator instances must agree on kept
// in Redis — sessions (sealed, idle expiry as the key's TTL), the nonces of accepted requests, the rate budgets
// (on Redis's clock), each agent's sessions, the task board and the event stream — so any number of instances
// behind a balancer act as one coordinator. `lab serve --stage 4 --redis HOST:PORT` (or `--sentinel ...`) runs
// one instance; `lab serve --stage 4` alone starts the whole local deployment (runner/stage4_deployment).
#pragma once

#include <cstdint>
#include <memory>

#include "coordinator/coordinator_server.h"
#include "coordinator/stage_config.h"
#include "core/result.h"
#include "redis/redis_client.h"

namespace lab::stage4 {

inline constexpr std::uint16_t kDefaultPort = 7104;

// One coordinator instance on the Redis the config names. Throws std::invalid_argument with the reason when the
// config names no Redis, its password file is unreadable, or the lab CA is missing.
std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

// How an instance reaches Redis: the primary (or the Sentinels), the ACL user, TLS with the lab CA, a replica's
// acknowledgement for security writes when Sentinels name one, and the function libraries loaded on connect.
Result<redis::RedisClientOptions> redis_client_options(const coordinator::StageConfig& config);

}  // namespace lab::stage4
