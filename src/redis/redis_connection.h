// RedisConnection: one blocking connection to a Redis server, plain TCP or TLS (the lab CA), with a deadline on
// every step. Commands are framed by hiredis' formatter and replies read by hiredis' reader; the bytes travel
// over the lab's LineClient, so no RESP parsing is written here. Not thread-safe: one user at a time (RedisClient
// keeps a pool).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "redis/redis_reply.h"

namespace lab::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;

  std::string to_string() const { return host + ":" + std::to_string(port); }
  // "HOST:PORT"; a clear error otherwise.
  static Result<RedisEndpoint> parse(std::string_view text);
  friend bool operator==(const RedisEndpoint&, const RedisEndpoint&) = default;
};

// An ACL user and its password. The password is never logged or put in an error message.
struct RedisCredentials {
  std::string user;
  std::string password;
};

// TLS to Redis: the server's certificate must chain to `ca_file` and name `server_name`; a client certificate
// when the server asks for one.
struct RedisTls {
  std::string ca_file;
  std::string server_name = "localhost";
  std::string certificate_file;
  std::string private_key_file;
};

struct RedisConnectionOptions {
  RedisEndpoint endpoint;
  std::optional<RedisCredentials> credentials;  // AUTH user password right after connecting
  std::optional<RedisTls> tls;                  // plain TCP when absent
  std::chrono::milliseconds timeout{2000};      // connect, each write, each reply
};

// One command: its arguments, binary-safe.
using RedisCommand = std::vector<std::string>;

class RedisConnection {
 public:
  // Connects and authenticates. kConnectionFailed when the server cannot be reached, kAuthFailed when it
  // refuses the credentials (or asks for some and none were given).
  static Result<std::unique_ptr<RedisConnection>> open(const RedisConnectionOptions& options);
  ~RedisConnection();

  // Sends one command and reads its reply. A transport failure (timeout, closed) is an error and leaves the
  // connection broken(); an error reply from Redis is a reply.
  Result<RedisReply> command(std::span<const std::string_view> args);
  Result<RedisReply> command(std::initializer_list<std::string_view> args);
  // Sends every command in one write and reads every reply: one round trip for all of them.
  Result<std::vector<RedisReply>> pipeline(std::span<const RedisCommand> commands);

  // True once a transport failure happened: the connection must not be used again.
  bool broken() const { return broken_; }
  const RedisEndpoint& endpoint() const { return options_.endpoint; }
  // Round trips made on this connection so far (a pipeline counts one).
  std::uint64_t round_trips() const { return round_trips_; }

 private:
  struct Impl;
  RedisConnection(std::unique_ptr<Impl> impl, RedisConnectionOptions options);
  Result<std::vector<RedisReply>> exchange(std::string bytes, std::size_t replies);

  std::unique_ptr<Impl> impl_;
  RedisConnectionOptions options_;
  bool broken_ = false;
  std::uint64_t round_trips_ = 0;
};

}  // namespace lab::redis
