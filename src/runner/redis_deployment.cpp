#include "runner/redis_deployment.h"

#include "runner/port_file.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <system_error>
#include <thread>

#include "core/file_io.h"
#include "security/hmac.h"
#include "security/lab_ca.h"
#include "security/lab_ca_directory.h"

namespace lab::runner {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using redis::RedisEndpoint;
using redis::RedisReply;

constexpr int kStartAttempts = 3;  // a port picked free may be taken before the process binds it
constexpr const char* kNodeCertificateName = "redis-node";

Error failure(std::string message) { return Error{ErrorCode::kInternalError, std::move(message)}; }

// A user or monitored name goes into config lines unquoted: a short plain word.
bool plain_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// A directory only this user can enter: the configs in it hold passwords (and Redis rewrites them 0644).
Status fresh_private_directory(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return failure("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return failure("cannot restrict " + dir.string() + ": " + ec.message());
  return ok_status();
}

Status write_private_file(const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::remove(path, ec);
  if (auto why = replace_file_atomically(path, content, 0600)) {
    return failure("cannot write " + path.string() + ": " + *why);
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec) return failure("cannot restrict " + path.string() + ": " + ec.message());
  return ok_status();
}

std::string seconds_text(std::chrono::milliseconds d) { return std::to_string(d.count() / 1000.0).substr(0, 4) + " s"; }

// The value after `key` in a flat key/value array (what SENTINEL replicas gives per replica).
std::string field(const RedisReply& flat, std::string_view key) {
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    if (flat.elements[i].text == key) return flat.elements[i + 1].text;
  }
  return {};
}

// The port a Sentinel names for the monitored primary; 0 when it names none.
std::uint16_t named_primary_port(redis::RedisConnection& sentinel, const std::string& name) {
  auto reply = sentinel.command({"SENTINEL", "get-master-addr-by-name", name});
  if (!reply || reply->kind != RedisReply::Kind::kArray || reply->elements.size() != 2) return 0;
  return static_cast<std::uint16_t>(std::atoi(reply->elements[1].text.c_str()));
}

}  // namespace

RedisDeployment::~RedisDeployment() { stop(); }

Result<RedisDeployment> RedisDeployment::start(RedisDeploymentOptions options) {
  if (options.work_dir.empty()) return Error{ErrorCode::kInvalidField, "a Redis deployment needs a work directory"};
  if (!plain_name(options.user) || !plain_name(options.monitored_name)) {
    return Error{ErrorCode::kInvalidField, "the Redis user and monitored name must be letters, digits, '-' or '_'"};
  }
  if (options.redis_server.empty()) options.redis_server = find_program("redis-server");
  if (options.redis_server.empty()) return failure("redis-server is not installed (./lab setup installs it)");
  options.work_dir = fs::absolute(options.work_dir);
  options.ca_dir = fs::absolute(options.ca_dir);
  if (options.password.empty()) options.password = security::random_hex(32);

  RedisDeployment deployment(std::move(options));
  const auto& opts = deployment.options_;
  std::error_code ec;
  fs::create_directories(opts.work_dir, ec);
  fs::permissions(opts.work_dir, fs::perms::owner_all, ec);
  if (ec) return failure("cannot prepare " + opts.work_dir.string() + ": " + ec.message());

  deployment.secrets_ = RedisSecrets{.coordinator_user = opts.user,
                                     .coordinator = opts.password,
                                     .replication = security::random_hex(32),
                                     .sentinel = security::random_hex(32),
                                     .sentinel_peer = security::random_hex(32)};
  deployment.password_file_ = opts.work_dir / "redis-password";
  if (auto s = write_private_file(deployment.password_file_, opts.password); !s) return s.error();

  // Nodes connecting to each other present a clientAuth certificate: the server certificate is serverAuth only,
  // and a node that presents a certificate must present one the other side accepts.
  auto ca = security::LabCa::load(opts.ca_dir);
  if (!ca) return failure("the Redis deployment needs the lab CA: " + ca.error().message);
  const auto tls_dir = opts.work_dir / "tls";
  if (auto s = fresh_private_directory(tls_dir); !s) return s.error();
  auto node_certificate = ca->issue_agent(kNodeCertificateName, tls_dir);
  if (!node_certificate) {
    return failure("cannot issue the Redis nodes' certificate: " + node_certificate.error().message);
  }
  deployment.tls_files_ = RedisTlsFiles{.ca_certificate = opts.ca_dir / "ca.crt",
                                        .server_certificate = opts.ca_dir / "localhost.crt",
                                        .server_key = opts.ca_dir / "localhost.key",
                                        .client_certificate = node_certificate->certificate,
                                        .client_key = node_certificate->private_key};
  for (const auto& file : {deployment.tls_files_.server_certificate, deployment.tls_files_.server_key}) {
    if (!fs::exists(file)) return failure("no " + file.string() + " in the lab CA directory");
  }

  deployment.data_nodes_.push_back(Node{.name = "primary"});
  if (auto s = deployment.start_data_node(deployment.data_nodes_[0], 0); !s) return s.error();
  if (!opts.with_replica_and_sentinels) return deployment;

  // Two replicas: security writes wait for one replica's acknowledgement (WAIT 1), so after a failover has
  // promoted one of them, the other still acknowledges and the stage keeps serving while the old primary is gone.
  const std::uint16_t primary_port = deployment.data_nodes_[0].port;
  for (const char* name : {"replica", "replica-2"}) {
    deployment.data_nodes_.push_back(Node{.name = name});
    if (auto s = deployment.start_data_node(deployment.data_nodes_.back(), primary_port); !s) return s.error();
  }
  for (int i = 1; i <= 3; ++i) {
    deployment.sentinels_.push_back(Node{.name = "sentinel-" + std::to_string(i)});
    if (auto s = deployment.start_sentinel(deployment.sentinels_.back(), primary_port); !s) return s.error();
  }
  for (auto& sentinel : deployment.sentinels_) {
    if (auto s = deployment.wait_until_sentinel_ready(sentinel); !s) return s.error();
  }
  return deployment;
}

Status RedisDeployment::start_data_node(Node& node, std::uint16_t replica_of) {
  node.dir = options_.work_dir / node.name;
  node.log = node.dir / "redis.log";
  if (auto s = fresh_private_directory(node.dir); !s) return s.error();
  Status last = failure(node.name + " did not start");
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto port = free_loopback_port();
    if (!port) return port.error();
    node.port = *port;
    const auto config = node.dir / "redis.conf";
    const DataNodeConfig settings{.tls_port = node.port,
                                  .dir = node.dir,
                                  .replica_of = replica_of,
                                  .require_authentication = options_.require_authentication};
    const auto text = data_node_config_text(settings, tls_files_, secrets_, options_.scope);
    if (auto s = write_private_file(config, text); !s) return s.error();
    try {
      node.process = ChildProcess::spawn(options_.redis_server, {config.string()}, node.log);
    } catch (const std::exception& e) {
      return failure(std::string("cannot start redis-server: ") + e.what());
    }
    last = wait_until_ready(node, replica_of);
    if (last || node.process.running()) return last;  // ready, or running but never ready: no other port helps
  }
  return last;
}

Status RedisDeployment::wait_until_ready(Node& node, std::uint16_t replica_of) {
  const auto deadline = SteadyClock::now() + options_.ready_timeout;
  std::string missing = "no PONG over TLS as " + options_.user;
  while (SteadyClock::now() < deadline) {
    if (!node.process.running()) {
      return failure("Redis " + node.name + " exited while starting; see " + node.log.string());
    }
    auto options = connection_options(RedisEndpoint{"127.0.0.1", node.port});
    options.timeout = 1000ms;
    if (auto connection = redis::RedisConnection::open(options)) {
      auto pong = (*connection)->command({"PING"});
      if (pong && pong->kind == RedisReply::Kind::kStatus && pong->text == "PONG") {
        if (replica_of == 0) return ok_status();
        missing = "the replication link to the primary is not up";
        auto info = (*connection)->command({"INFO", "replication"});
        if (info && info->text.find("master_link_status:up") != std::string::npos) return ok_status();
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  return failure("Redis " + node.name + " not ready within " + seconds_text(options_.ready_timeout) + " (" + missing +
                 "); see " + node.log.string());
}

Status RedisDeployment::start_sentinel(Node& node, std::uint16_t primary_port) {
  node.dir = options_.work_dir / node.name;
  node.log = node.dir / "sentinel.log";
  if (auto s = fresh_private_directory(node.dir); !s) return s.error();
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto port = free_loopback_port();
    if (!port) return port.error();
    node.port = *port;
    const auto config = node.dir / "sentinel.conf";
    const SentinelConfig settings{.tls_port = node.port,
                                  .dir = node.dir,
                                  .monitored_name = options_.monitored_name,
                                  .primary_port = primary_port};
    if (auto s = write_private_file(config, sentinel_config_text(settings, tls_files_, secrets_)); !s) return s.error();
    try {
      node.process = ChildProcess::spawn(options_.redis_server, {config.string(), "--sentinel"}, node.log);
    } catch (const std::exception& e) {
      return failure(std::string("cannot start a Sentinel: ") + e.what());
    }
    // It answers PING once it listens; one that exits at once lost its port and is tried on another.
    const auto deadline = SteadyClock::now() + options_.ready_timeout;
    while (node.process.running() && SteadyClock::now() < deadline) {
      auto options = connection_options(RedisEndpoint{"127.0.0.1", node.port});
      options.timeout = 1000ms;
      if (auto connection = redis::RedisConnection::open(options)) {
        auto pong = (*connection)->command({"PING"});
        if (pong && pong->text == "PONG") return ok_status();
      }
      std::this_thread::sleep_for(50ms);
    }
    if (node.process.running()) break;
  }
  return failure("Sentinel " + node.name + " did not start; see " + node.log.string());
}

Status RedisDeployment::wait_until_sentinel_ready(Node& node) {
  const auto deadline = SteadyClock::now() + options_.ready_timeout;
  const std::string& name = options_.monitored_name;
  const auto replica_port = std::to_string(data_nodes_[1].port);
  std::string missing = "no answer";
  while (SteadyClock::now() < deadline) {
    if (!node.process.running()) return failure("Sentinel " + node.name + " exited; see " + node.log.string());
    auto options = connection_options(RedisEndpoint{"127.0.0.1", node.port});
    options.timeout = 1000ms;
    if (auto connection = redis::RedisConnection::open(options)) {
      auto& sentinel = **connection;
      auto replicas = sentinel.command({"SENTINEL", "replicas", name});
      auto peers = sentinel.command({"SENTINEL", "sentinels", name});
      const bool names_primary = named_primary_port(sentinel, name) == data_nodes_[0].port;
      const bool sees_replica =
          replicas && std::any_of(replicas->elements.begin(), replicas->elements.end(), [&](const RedisReply& r) {
            const auto flags = field(r, "flags");
            return field(r, "port") == replica_port && flags.find("disconnected") == std::string::npos &&
                   flags.find("s_down") == std::string::npos;
          });
      // Quorum 2 and a leader vote need the others: a Sentinel alone cannot fail over.
      const std::size_t known_peers = peers ? peers->elements.size() : 0;
      if (names_primary && sees_replica && known_peers + 1 >= sentinels_.size()) return ok_status();
      missing = !names_primary ? "it does not name the primary"
                : !sees_replica ? "it does not list the replica"
                                : "it knows " + std::to_string(known_peers) + " of the other Sentinels";
    }
    std::this_thread::sleep_for(100ms);
  }
  return failure("Sentinel " + node.name + " not ready within " + seconds_text(options_.ready_timeout) + " (" +
                 missing + "); see " + node.log.string());
}

redis::RedisEndpoint RedisDeployment::primary() const {
  return RedisEndpoint{"127.0.0.1", data_nodes_.empty() ? std::uint16_t{0} : data_nodes_[primary_index_].port};
}

std::optional<redis::RedisEndpoint> RedisDeployment::replica() const {
  if (data_nodes_.size() < 2) return std::nullopt;
  return RedisEndpoint{"127.0.0.1", data_nodes_[1].port};
}

std::vector<redis::RedisEndpoint> RedisDeployment::sentinels() const {
  std::vector<RedisEndpoint> out;
  for (const auto& s : sentinels_) out.push_back(RedisEndpoint{"127.0.0.1", s.port});
  return out;
}

redis::RedisTls RedisDeployment::tls() const {
  return redis::RedisTls{.ca_file = (options_.ca_dir / "ca.crt").string(), .server_name = security::kLabServerName};
}

redis::RedisConnectionOptions RedisDeployment::connection_options(const redis::RedisEndpoint& endpoint) const {
  return redis::RedisConnectionOptions{.endpoint = endpoint, .credentials = credentials(), .tls = tls()};
}

redis::RedisClientOptions RedisDeployment::client_options() const {
  redis::RedisClientOptions out;
  out.primary_name = options_.monitored_name;
  out.endpoint = primary();
  out.credentials = credentials();
  out.tls = tls();
  if (highly_available()) {
    out.sentinels = sentinels();
    out.sentinel_credentials = sentinel_credentials();
    out.replicas_to_wait_for = 1;
  }
  return out;
}

void RedisDeployment::kill_primary() {
  if (data_nodes_.empty()) return;
  auto& node = data_nodes_[primary_index_];
  node.process.kill_now();
  killed_primary_port_ = node.port;
}

Result<redis::RedisEndpoint> RedisDeployment::wait_for_failover(std::chrono::milliseconds timeout) {
  if (!highly_available()) return Error{ErrorCode::kInvalidField, "a single Redis primary has no failover"};
  const std::uint16_t old_port = killed_primary_port_.value_or(data_nodes_[primary_index_].port);
  const auto deadline = SteadyClock::now() + timeout;
  std::uint16_t named = old_port;
  while (SteadyClock::now() < deadline) {
    for (const auto& sentinel : sentinels_) {
      auto options = connection_options(RedisEndpoint{"127.0.0.1", sentinel.port});
      options.timeout = 500ms;
      auto connection = redis::RedisConnection::open(options);
      if (!connection) continue;
      named = named_primary_port(**connection, options_.monitored_name);
      if (named == 0 || named == old_port) continue;
      const auto index =
          std::find_if(data_nodes_.begin(), data_nodes_.end(), [&](const Node& n) { return n.port == named; });
      if (index == data_nodes_.end()) continue;
      auto promoted = redis::RedisConnection::open(connection_options(RedisEndpoint{"127.0.0.1", named}));
      if (!promoted) continue;
      auto role = (*promoted)->command({"ROLE"});
      if (role && !role->elements.empty() && role->elements[0].text == "master") {
        primary_index_ = static_cast<std::size_t>(index - data_nodes_.begin());
        killed_primary_port_.reset();
        return RedisEndpoint{"127.0.0.1", named};
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  return failure("no failover within " + seconds_text(timeout) + ": the Sentinels still name 127.0.0.1:" +
                 std::to_string(named) + "; see " + sentinels_[0].log.string());
}

void RedisDeployment::stop() {
  for (auto& sentinel : sentinels_) sentinel.process.terminate();
  for (auto& node : data_nodes_) node.process.terminate();
}

}  // namespace lab::runner
