// RedisDeployment: stage 4's Redis, started by the lab itself on 127.0.0.1 — for `lab serve --stage 4`, the
// tests, the demo and the benchmark. Either one primary, or the highly available shape the stage is designed
// for: a primary, two replicas and three Sentinels (quorum 2) that promote a replica when the primary dies.
//
// Every process listens on TLS only (the lab CA's localhost certificate) and requires a password: the
// coordinators' ACL user (default "lab-coordinator") may run their data commands on their own keys and nothing
// of @dangerous; the same name and password on the Sentinels only finds the primary. The other users
// (replication, Sentinel on the data nodes, Sentinels among themselves) get random passwords that never leave
// the configs in the work directory (mode 0700). redis_config.h lists who may do what.
//
//   <work_dir>/redis-password          the coordinators' password, mode 0600 (`lab serve --redis-password-file`)
//   <work_dir>/tls/redis-node.crt/.key the client certificate nodes present to each other (issued by the lab CA)
//   <work_dir>/primary/                redis.conf, redis.log, AOF
//   <work_dir>/replica/                the same
//   <work_dir>/sentinel-1..3/          sentinel.conf (rewritten by the Sentinel), sentinel.log
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "redis/redis_client.h"
#include "redis/redis_connection.h"
#include "runner/process.h"
#include "runner/redis_config.h"

namespace lab::runner {

struct RedisDeploymentOptions {
  std::filesystem::path work_dir;  // made if missing; each process gets a directory of its own in it
  std::filesystem::path ca_dir;    // a lab CA directory (prepare_lab_ca_directory): ca.crt/.key, localhost.crt/.key
  bool with_replica_and_sentinels = true;  // false: a single primary
  std::string user = "lab-coordinator";
  std::string password;  // empty: 32 random bytes from the CSPRNG, as hex
  std::string monitored_name = "lab";
  RedisAclScope scope;   // the keys and channels the coordinators' user may touch
  std::chrono::milliseconds ready_timeout{15000};  // per process
  std::filesystem::path redis_server;  // empty: `redis-server` on PATH (it also runs the Sentinels)
  // false: the data nodes' default user is open to anyone (DataNodeConfig::require_authentication).
  bool require_authentication = true;
};

class RedisDeployment {
 public:
  // Starts the processes from empty directories (an earlier run's AOF and configs in `work_dir` are removed) and
  // waits until each is ready: the primary answers PING over TLS as the coordinators'
  // user, the replica's link is up, every Sentinel names the primary, lists the replica and knows the other two.
  // An error names the log file of the process that did not become ready.
  static Result<RedisDeployment> start(RedisDeploymentOptions options);

  RedisDeployment(RedisDeployment&&) noexcept = default;
  RedisDeployment& operator=(RedisDeployment&&) noexcept = default;  // the processes replaced are terminated
  RedisDeployment(const RedisDeployment&) = delete;
  RedisDeployment& operator=(const RedisDeployment&) = delete;
  ~RedisDeployment();  // stop()

  bool highly_available() const { return !sentinels_.empty(); }
  // The node that is primary now (after wait_for_failover: the promoted one).
  redis::RedisEndpoint primary() const;
  // The first node started as replica (after a failover it may be the primary); nullopt for a single primary.
  std::optional<redis::RedisEndpoint> replica() const;
  std::vector<redis::RedisEndpoint> sentinels() const;

  // The coordinators' user on the data nodes, and the same user on the Sentinels (finding the primary only).
  redis::RedisCredentials credentials() const { return {options_.user, options_.password}; }
  redis::RedisCredentials sentinel_credentials() const { return credentials(); }
  redis::RedisTls tls() const;
  const std::filesystem::path& password_file() const { return password_file_; }
  const std::filesystem::path& work_dir() const { return options_.work_dir; }
  // One connection to a node, as the coordinators' user over TLS.
  redis::RedisConnectionOptions connection_options(const redis::RedisEndpoint& endpoint) const;
  // What a coordinator's RedisClient needs: the Sentinels (or the single primary), the credentials, TLS, and one
  // replica to WAIT for when there is one.
  redis::RedisClientOptions client_options() const;

  // Failover drills. SIGKILL the current primary (a crash, as far as anyone can tell).
  void kill_primary();
  // Waits until the Sentinels name another primary than the one killed and it answers ROLE master; returns it.
  Result<redis::RedisEndpoint> wait_for_failover(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // SIGTERM to every process (Sentinels first, so they start no failover while the nodes go), each reaped.
  void stop();

 private:
  struct Node {
    std::string name;  // "primary", "replica", "sentinel-1", ...
    std::uint16_t port = 0;
    std::filesystem::path dir;
    std::filesystem::path log;
    ChildProcess process;
  };

  explicit RedisDeployment(RedisDeploymentOptions options) : options_(std::move(options)) {}
  Status start_data_node(Node& node, std::uint16_t replica_of);
  Status start_sentinel(Node& node, std::uint16_t primary_port);
  Status wait_until_ready(Node& node, std::uint16_t replica_of);
  Status wait_until_sentinel_ready(Node& node);

  RedisDeploymentOptions options_;
  RedisSecrets secrets_;
  RedisTlsFiles tls_files_;
  std::filesystem::path password_file_;
  std::vector<Node> data_nodes_;  // [0] started as primary, [1] as replica
  std::vector<Node> sentinels_;
  std::size_t primary_index_ = 0;
  std::optional<std::uint16_t> killed_primary_port_;
};

}  // namespace lab::runner
