// RedisClient: what a coordinator talks to Redis through. Thread-safe: each call leases a connection from a
// pool. It finds the primary itself — a fixed endpoint, or by asking Sentinels (`SENTINEL
// get-master-addr-by-name`) — and follows a failover: a connection that breaks, or a node that answers READONLY
// (a demoted primary) or LOADING / MASTERDOWN, drops the pool, asks the Sentinels again and retries until the
// failover deadline. A command that was sent and whose reply was lost is retried only when the caller marks it
// idempotent; otherwise the uncertainty is the caller's error to handle.
#pragma once

#include <chrono>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "redis/redis_connection.h"

namespace lab::redis {

struct RedisClientOptions {
  // Where the primary is: asked of these Sentinels when there are any, else `endpoint` itself.
  std::vector<RedisEndpoint> sentinels;
  std::string primary_name = "lab";  // the name the Sentinels monitor
  RedisEndpoint endpoint;
  std::optional<RedisCredentials> credentials;           // for the data nodes
  std::optional<RedisCredentials> sentinel_credentials;  // for the Sentinels, when they ask
  std::optional<RedisTls> tls;                           // for data nodes and Sentinels alike
  std::chrono::milliseconds timeout{2000};
  // How long a call keeps retrying while the primary is away (a Sentinel failover takes a few seconds).
  std::chrono::milliseconds failover_deadline{20000};
  // Replicas that must hold a security write before it is acknowledged (WAIT); 0 = no replica to wait for.
  int replicas_to_wait_for = 0;
  std::chrono::milliseconds replica_wait{500};
  // Run on every new connection before it is used (e.g. FUNCTION LOAD REPLACE); an error fails the connection.
  std::function<Status(RedisConnection&)> on_connect;
};

enum class Retry {
  kIfNotSent,   // retried only when it cannot have reached Redis (connect failed, READONLY, LOADING)
  kIdempotent,  // retried after any failure: running it twice is the same as once
};

class RedisClient {
 public:
  explicit RedisClient(RedisClientOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  Result<RedisReply> command(std::span<const std::string_view> args, Retry retry = Retry::kIfNotSent);
  Result<RedisReply> command(std::initializer_list<std::string_view> args, Retry retry = Retry::kIfNotSent);
  Result<std::vector<RedisReply>> pipeline(std::span<const RedisCommand> commands, Retry retry = Retry::kIfNotSent);
  // A security write: the command, then WAIT for `replicas_to_wait_for` replicas in the same round trip. An
  // error when fewer replicas acknowledged it in time (the write may still be on the primary: not acknowledged
  // means the caller must not tell its client it succeeded).
  Result<RedisReply> replicated(std::span<const std::string_view> args, Retry retry = Retry::kIfNotSent);

  // The primary the pool currently talks to (asks the Sentinels when it has none).
  Result<RedisEndpoint> primary();
  // Round trips made by every connection of this client so far.
  std::uint64_t round_trips() const;
  const RedisClientOptions& options() const { return options_; }

 private:
  Result<std::unique_ptr<RedisConnection>> take_connection(std::uint64_t& generation);
  void give_back(std::unique_ptr<RedisConnection> connection, std::uint64_t generation);
  void forget_primary();
  Result<std::vector<RedisReply>> run(std::span<const RedisCommand> commands, Retry retry);
  Result<RedisEndpoint> ask_sentinels();

  RedisClientOptions options_;
  mutable std::mutex mutex_;
  std::optional<RedisEndpoint> primary_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::uint64_t generation_ = 0;  // bumped when the primary is forgotten: older connections are not pooled again
  std::atomic<std::uint64_t> round_trips_{0};
};

}  // namespace lab::redis
