#include "runner/redis_config.h"

#include <cstdio>
#include <sstream>

namespace lab::runner {
namespace {

// The coordinators' rights on a data node: their data types, functions and transactions, and the few
// server-wide reads stage 4 needs (INFO and ROLE to see the replication state, WAIT for acknowledged security
// writes, TIME as the one clock of three coordinators). @dangerous goes (FLUSHALL, CONFIG, KEYS, DEBUG,
// REPLICAOF, CLIENT KILL/LIST, ...); so do FUNCTION FLUSH and RESTORE, which would wipe the other coordinators'
// functions. Lists, bitmaps, geo and HyperLogLog are not stage 4's types.
constexpr const char* kCoordinatorDataRules =
    "-@all +@connection +@string +@hash +@set +@sortedset +@stream +@pubsub +@transaction +@keyspace +@scripting "
    "-@dangerous -function|flush -function|restore +info +role +wait +time";

// The replica's link: the handshake and the replication stream, nothing else.
constexpr const char* kReplicationRules = "resetchannels -@all +psync +replconf +ping";

// What Sentinel runs on a data node (redis.io, Sentinel, "Redis ACL"): monitoring (PING, INFO, ROLE), the hello
// channel, and a failover's MULTI / SLAVEOF / CONFIG REWRITE / CLIENT KILL / EXEC.
constexpr const char* kSentinelOnNodeRules =
    "resetchannels &__sentinel__:hello -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish "
    "+info +client|setname +client|kill +script|kill";

// A coordinator asking a Sentinel where the primary is; it may listen for +switch-master, nothing more (no
// SENTINEL FAILOVER, SET, REMOVE or MONITOR).
constexpr const char* kCoordinatorSentinelRules =
    "resetchannels &+switch-master -@all +ping +sentinel|get-master-addr-by-name +sentinel|replicas "
    "+sentinel|sentinels +sentinel|master +subscribe +unsubscribe";

// A Sentinel asking another: PING, its hello, and the vote during a failover.
constexpr const char* kSentinelPeerRules =
    "resetchannels &__sentinel__:hello -@all +ping +publish +sentinel|is-master-down-by-addr +client|setname";

std::string password_rule(std::string_view password) { return redis_config_quote(">" + std::string(password)); }

std::string path_text(const std::filesystem::path& path) { return redis_config_quote(path.string()); }

// The lines every process of the deployment shares: loopback, TLS only, the lab CA, its own directory, logging
// to standard output (the ChildProcess's log file).
void common_lines(std::ostringstream& out, std::uint16_t tls_port, const std::filesystem::path& dir,
                  const RedisTlsFiles& tls, bool require_authentication = true) {
  out << "port 0\n"
      << "tls-port " << tls_port << "\n"
      << "bind 127.0.0.1\n"
      << "protected-mode yes\n"
      << "daemonize no\n"
      << "logfile \"\"\n"
      << "dir " << path_text(dir) << "\n"
      << "tls-cert-file " << path_text(tls.server_certificate) << "\n"
      << "tls-key-file " << path_text(tls.server_key) << "\n"
      << "tls-client-cert-file " << path_text(tls.client_certificate) << "\n"
      << "tls-client-key-file " << path_text(tls.client_key) << "\n"
      << "tls-ca-cert-file " << path_text(tls.ca_certificate) << "\n"
      // The password is the gate; a client may present a lab certificate, and one that does not chain is refused.
      << "tls-auth-clients optional\n"
      << "tls-replication yes\n";
  if (require_authentication) {
    // FIX V-033: the default user is off: a connection that has not authenticated as an ACL user runs nothing.
    out << "user default off\n";
  } else {
    // Switched off (redis-authentication): the default user on, with no password and every right, as a Redis
    // installed and never configured: anyone who reaches the port is in.
    out << "user default on nopass ~* &* +@all\n";
  }
}

}  // namespace

std::string redis_config_quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string data_node_config_text(const DataNodeConfig& node, const RedisTlsFiles& tls, const RedisSecrets& secrets,
                                  const RedisAclScope& scope) {
  std::ostringstream out;
  out << "# Stage 4 Redis " << (node.replica_of == 0 ? "primary" : "replica")
      << " (written by the lab; Sentinel rewrites it on a failover)\n";
  common_lines(out, node.tls_port, node.dir, tls, node.require_authentication);
  // Durable to within a second without a snapshot: what the coordinators acknowledged survives a restart.
  out << "appendonly yes\n"
      << "appendfsync everysec\n"
      << "save \"\"\n"
      << "repl-diskless-sync-delay 0\n";
  out << "user " << secrets.coordinator_user << " on " << password_rule(secrets.coordinator) << " "
      << redis_config_quote("~" + scope.key_pattern) << " resetchannels "
      << redis_config_quote("&" + scope.channel_pattern) << " " << kCoordinatorDataRules << "\n";
  out << "user " << kReplicationUser << " on " << password_rule(secrets.replication) << " " << kReplicationRules
      << "\n";
  out << "user " << kSentinelUser << " on " << password_rule(secrets.sentinel) << " " << kSentinelOnNodeRules << "\n";
  // Both nodes know how to follow a primary: the old primary becomes a replica after a failover.
  out << "masteruser " << kReplicationUser << "\n"
      << "masterauth " << redis_config_quote(secrets.replication) << "\n";
  if (node.replica_of != 0) out << "replicaof 127.0.0.1 " << node.replica_of << "\n";
  return out.str();
}

std::string sentinel_config_text(const SentinelConfig& sentinel, const RedisTlsFiles& tls,
                                 const RedisSecrets& secrets) {
  std::ostringstream out;
  out << "# Stage 4 Sentinel (written by the lab; the Sentinel rewrites it as it learns the topology)\n";
  common_lines(out, sentinel.tls_port, sentinel.dir, tls);
  out << "user " << secrets.coordinator_user << " on " << password_rule(secrets.coordinator) << " "
      << kCoordinatorSentinelRules << "\n";
  out << "user " << kSentinelPeerUser << " on " << password_rule(secrets.sentinel_peer) << " " << kSentinelPeerRules
      << "\n";
  out << "sentinel sentinel-user " << kSentinelPeerUser << "\n"
      << "sentinel sentinel-pass " << redis_config_quote(secrets.sentinel_peer) << "\n"
      << "sentinel resolve-hostnames no\n";
  const std::string& name = sentinel.monitored_name;
  out << "sentinel monitor " << name << " 127.0.0.1 " << sentinel.primary_port << " " << sentinel.quorum << "\n"
      << "sentinel down-after-milliseconds " << name << " 1000\n"
      << "sentinel failover-timeout " << name << " 5000\n"
      << "sentinel parallel-syncs " << name << " 1\n"
      << "sentinel auth-user " << name << " " << kSentinelUser << "\n"
      << "sentinel auth-pass " << name << " " << redis_config_quote(secrets.sentinel) << "\n";
  return out.str();
}

}  // namespace lab::runner
