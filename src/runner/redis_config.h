// The configuration files of stage 4's local Redis deployment: the data nodes (a primary and its replica) and
// the Sentinels that watch them. Everything listens on 127.0.0.1 over TLS only (`port 0`), with the lab CA's
// server certificate; node-to-node links (replication, Sentinel to node, Sentinel to Sentinel) present a client
// certificate the lab CA issued for them.
//
// Who may do what (ACL users; `default` is switched off everywhere, so a connection that has not authenticated
// can run nothing):
//   data nodes   coordinator user  the data commands the coordinators need (strings, hashes, sets, sorted sets,
//                                  streams, pub/sub, transactions, keyspace, functions), INFO, ROLE, WAIT, TIME,
//                                  on the keys and channels of its patterns; nothing of @dangerous
//                replication       PSYNC, REPLCONF, PING: the replica's link to its primary
//                sentinel          what Sentinel runs on a data node (the redis.io Sentinel "Redis ACL" list)
//   Sentinels    coordinator user  the same name and password, but only finding the primary: PING and the
//                                  SENTINEL queries, +switch-master notifications
//                sentinel-peer     Sentinels asking each other (votes during a failover)
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace lab::runner {

// The TLS files every process of the deployment reads.
struct RedisTlsFiles {
  std::filesystem::path ca_certificate;      // the lab CA: peers must chain to it
  std::filesystem::path server_certificate;  // localhost.crt: names localhost and 127.0.0.1
  std::filesystem::path server_key;
  std::filesystem::path client_certificate;  // clientAuth: what a node presents when it connects to another
  std::filesystem::path client_key;
};

// The passwords of the deployment's users. Only `coordinator` leaves the deployment (the password file).
struct RedisSecrets {
  std::string coordinator_user = "lab-coordinator";
  std::string coordinator;
  std::string replication;
  std::string sentinel;       // Sentinel's user on the data nodes
  std::string sentinel_peer;  // Sentinels among themselves
};

// What the coordinator user may touch.
struct RedisAclScope {
  std::string key_pattern = "lab:*";
  std::string channel_pattern = "lab:*";
};

inline constexpr const char* kReplicationUser = "replication";
inline constexpr const char* kSentinelUser = "sentinel";
inline constexpr const char* kSentinelPeerUser = "sentinel-peer";

struct DataNodeConfig {
  std::uint16_t tls_port = 0;
  std::filesystem::path dir;  // the node's own directory: AOF, and its config (Sentinel rewrites it on failover)
  std::uint16_t replica_of = 0;  // the primary's TLS port; 0: this node is the primary
  // false: Redis's `default` user is left on with no password and every right, as a Redis installed and never
  // configured is: anyone who reaches the port reads and writes every key (the ablation of redis-authentication).
  bool require_authentication = true;
};

struct SentinelConfig {
  std::uint16_t tls_port = 0;
  std::filesystem::path dir;  // the Sentinel's own directory: it rewrites its config as it learns
  std::string monitored_name = "lab";
  std::uint16_t primary_port = 0;
  int quorum = 2;
};

// `value` as one token of a Redis config line: quoted, with backslashes and quotes escaped.
std::string redis_config_quote(std::string_view value);

// The redis.conf of a primary or a replica.
std::string data_node_config_text(const DataNodeConfig& node, const RedisTlsFiles& tls, const RedisSecrets& secrets,
                                  const RedisAclScope& scope);
// The sentinel.conf of one Sentinel.
std::string sentinel_config_text(const SentinelConfig& sentinel, const RedisTlsFiles& tls,
                                 const RedisSecrets& secrets);

}  // namespace lab::runner
