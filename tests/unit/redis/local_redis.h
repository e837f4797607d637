// A throwaway redis-server for the client's tests: loopback, a free port, nothing saved, one ACL user
// ("lab-test") with a password and the default user off. Stopped with the object.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/temporary_directory.h"
#include "redis/redis_connection.h"
#include "runner/process.h"

namespace lab::redis::testing {

inline std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

inline const RedisCredentials kTestUser{"lab-test", "correct horse battery staple"};

class LocalRedis {
 public:
  // `replica_of`: start as a replica of that port.
  explicit LocalRedis(std::uint16_t port = free_loopback_port(), std::uint16_t replica_of = 0) : port_(port) {
    start(replica_of);
  }

  void start(std::uint16_t replica_of = 0) {
    std::vector<std::string> args{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--repl-diskless-sync-delay", "0", "--dir", dir_.path().string(),
                                  "--user", "default", "off",
                                  "--user", kTestUser.user, "on", ">" + kTestUser.password, "~*", "&*", "+@all"};
    if (replica_of != 0) {
      args.insert(args.end(), {"--replicaof", "127.0.0.1", std::to_string(replica_of), "--masteruser",
                               kTestUser.user, "--masterauth", kTestUser.password});
    }
    process_ = runner::ChildProcess::spawn("/usr/bin/redis-server", args, dir_.path() / "redis.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto c = RedisConnection::open(options());
      if (c && (*c)->command({"PING"}).ok()) {
        if (replica_of == 0) return;
        auto info = (*c)->command({"INFO", "replication"});
        if (info && info->text.find("master_link_status:up") != std::string::npos) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("redis-server did not start; see " + (dir_.path() / "redis.log").string());
  }
  void kill() { process_.kill_now(); process_.terminate(); }

  std::uint16_t port() const { return port_; }
  RedisEndpoint endpoint() const { return {"127.0.0.1", port_}; }
  RedisConnectionOptions options() const {
    return {.endpoint = endpoint(), .credentials = kTestUser, .timeout = std::chrono::milliseconds(1000)};
  }

 private:
  std::uint16_t port_;
  TemporaryDirectory dir_ = TemporaryDirectory::create("lab-redis-test").value();
  runner::ChildProcess process_;
};

}  // namespace lab::redis::testing
