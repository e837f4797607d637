#include "redis/redis_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <thread>

#include "core/json_fields.h"  // LAB_ASSIGN_OR_RETURN

namespace lab::redis {
namespace {

using Clock = std::chrono::steady_clock;

// Replies that say "not here, not now": the command did not run, so it may be sent again elsewhere.
bool primary_away(const RedisReply& reply) {
  return reply.is_error("READONLY") || reply.is_error("LOADING") || reply.is_error("MASTERDOWN") ||
         reply.is_error("TRYAGAIN");
}

}  // namespace

RedisClient::RedisClient(RedisClientOptions options) : options_(std::move(options)) {}
RedisClient::~RedisClient() = default;

Result<RedisEndpoint> RedisClient::ask_sentinels() {
  std::string last_error = "no Sentinel configured";
  for (const auto& sentinel : options_.sentinels) {
    RedisConnectionOptions o{.endpoint = sentinel, .credentials = options_.sentinel_credentials,
                             .tls = options_.tls, .timeout = options_.timeout};
    auto connection = RedisConnection::open(o);
    if (!connection) {
      last_error = connection.error().message;
      continue;
    }
    auto reply = (*connection)->command({"SENTINEL", "get-master-addr-by-name", options_.primary_name});
    if (!reply) {
      last_error = reply.error().message;
      continue;
    }
    if (reply->kind != RedisReply::Kind::kArray || reply->elements.size() != 2) {
      last_error = "Sentinel " + sentinel.to_string() + " knows no primary named '" + options_.primary_name + "'";
      continue;
    }
    auto endpoint = RedisEndpoint::parse(reply->elements[0].text + ":" + reply->elements[1].text);
    if (endpoint) return endpoint;
    last_error = endpoint.error().message;
  }
  return Error{ErrorCode::kConnectionFailed, "cannot find the Redis primary: " + last_error};
}

Result<RedisEndpoint> RedisClient::primary() {
  {
    std::lock_guard lock(mutex_);
    if (primary_) return *primary_;
  }
  RedisEndpoint found = options_.endpoint;
  if (!options_.sentinels.empty()) {
    auto asked = ask_sentinels();
    if (!asked) return asked.error();
    found = *asked;
  }
  std::lock_guard lock(mutex_);
  if (!primary_) primary_ = found;
  return *primary_;
}

void RedisClient::forget_primary() {
  std::lock_guard lock(mutex_);
  primary_.reset();
  idle_.clear();
  ++generation_;
}

Result<std::unique_ptr<RedisConnection>> RedisClient::take_connection(std::uint64_t& generation) {
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto endpoint = primary();
  if (!endpoint) return endpoint.error();
  // A reply may wait for a replica's acknowledgement (WAIT) on top of the usual answer time.
  RedisConnectionOptions o{.endpoint = *endpoint, .credentials = options_.credentials, .tls = options_.tls,
                           .timeout = options_.timeout + options_.replica_wait};
  auto connection = RedisConnection::open(o);
  if (!connection) return connection.error();
  if (!options_.sentinels.empty()) {
    // A Sentinel's answer can lag a failover: a node that is no longer primary is not used.
    auto role = (*connection)->command({"ROLE"});
    if (!role) return role.error();
    if (role->kind != RedisReply::Kind::kArray || role->elements.empty() || role->elements[0].text != "master") {
      return Error{ErrorCode::kConnectionFailed, "Redis at " + endpoint->to_string() + " is not the primary (yet)"};
    }
  }
  if (options_.on_connect) {
    if (auto s = options_.on_connect(**connection); !s) return s.error();
  }
  return std::move(*connection);
}

void RedisClient::give_back(std::unique_ptr<RedisConnection> connection, std::uint64_t generation) {
  if (connection->broken()) return;
  std::lock_guard lock(mutex_);
  if (generation == generation_) idle_.push_back(std::move(connection));
}

Result<std::vector<RedisReply>> RedisClient::run(std::span<const RedisCommand> commands, Retry retry) {
  const auto deadline = Clock::now() + options_.failover_deadline;
  std::string last_error;
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) {
      if (Clock::now() >= deadline) {
        return Error{ErrorCode::kConnectionFailed, "Redis unavailable for " +
                                                       std::to_string(options_.failover_deadline.count()) +
                                                       " ms: " + last_error};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50 * attempt, 250)));
    }
    std::uint64_t generation = 0;
    auto connection = take_connection(generation);
    if (!connection) {
      // Nothing was sent: always safe to try again, on whatever the Sentinels name next.
      last_error = connection.error().message;
      if (connection.error().code == ErrorCode::kAuthFailed) return connection.error();
      forget_primary();
      continue;
    }
    auto replies = (*connection)->pipeline(commands);
    round_trips_.fetch_add(1, std::memory_order_relaxed);
    if (!replies) {
      last_error = replies.error().message;
      forget_primary();
      // Sent, reply lost: it may have run. Only an idempotent command goes again.
      if (retry == Retry::kIdempotent) continue;
      return Error{ErrorCode::kConnectionFailed, last_error + " (the command may or may not have run)"};
    }
    if (!replies->empty() && primary_away(replies->front())) {
      last_error = "Redis at " + (*connection)->endpoint().to_string() + ": " + replies->front().text;
      forget_primary();
      continue;
    }
    give_back(std::move(*connection), generation);
    return replies;
  }
}

Result<std::vector<RedisReply>> RedisClient::pipeline(std::span<const RedisCommand> commands, Retry retry) {
  return run(commands, retry);
}

Result<RedisReply> RedisClient::command(std::span<const std::string_view> args, Retry retry) {
  const RedisCommand one(args.begin(), args.end());
  LAB_ASSIGN_OR_RETURN(auto replies, run(std::span<const RedisCommand>(&one, 1), retry));
  return std::move(replies.front());
}

Result<RedisReply> RedisClient::command(std::initializer_list<std::string_view> args, Retry retry) {
  return command(std::span<const std::string_view>(args.begin(), args.size()), retry);
}

Result<RedisReply> RedisClient::replicated(std::span<const std::string_view> args, Retry retry) {
  if (options_.replicas_to_wait_for <= 0) return command(args, retry);
  const std::array<RedisCommand, 2> both{
      RedisCommand(args.begin(), args.end()),
      RedisCommand{"WAIT", std::to_string(options_.replicas_to_wait_for),
                   std::to_string(options_.replica_wait.count())}};
  LAB_ASSIGN_OR_RETURN(auto replies, run(both, retry));
  if (replies.size() != 2) return Error{ErrorCode::kInternalError, "Redis answered a pipeline short"};
  const auto& waited = replies[1];
  if (waited.kind != RedisReply::Kind::kInteger || waited.integer < options_.replicas_to_wait_for) {
    return Error{ErrorCode::kInternalError,
                 "a security write was not acknowledged by " + std::to_string(options_.replicas_to_wait_for) +
                     " replica(s) within " + std::to_string(options_.replica_wait.count()) + " ms"};
  }
  return std::move(replies[0]);
}

std::uint64_t RedisClient::round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

}  // namespace lab::redis
