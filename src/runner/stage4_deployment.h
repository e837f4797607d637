// Stage4Deployment: the whole of stage 4 on loopback, as `lab serve --stage 4` (without --redis/--sentinel) and
// the tests start it — Redis (a primary, its replica and three Sentinels, or a single primary), N coordinator
// instances (`lab serve --stage 4 --sentinel ...`, each a child process with its own log and state directory),
// and HAProxy in front of them (mode tcp: mutual TLS stays end to end; `send-proxy-v2`: each instance learns the
// agent's address; health checks every 300 ms). The same topology as deploy/compose.yaml, as local processes.
//
//   <work_dir>/redis/                      RedisDeployment (redis-password: the coordinators' password file)
//   <work_dir>/coordinatorN/               coordinator.log, coordinator.port, state/ (its audit log)
//   <work_dir>/balancer/                   haproxy.cfg, haproxy.log
//
// An instance accepts connections only from the balancer's address (127.0.0.1) and only with a PROXY v2 header
// first: reaching one instance directly means speaking PROXY v2 from there (e.g. a one-server HAProxy in front
// of instance_port(i)), which is what an attack on one instance does.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "runner/haproxy_process.h"
#include "runner/port_file.h"
#include "runner/process.h"
#include "runner/redis_deployment.h"

namespace lab::runner {

struct Stage4DeploymentOptions {
  std::filesystem::path work_dir;  // made if missing; what an earlier run left in it is replaced
  std::filesystem::path ca_dir;    // the lab CA directory (`lab ca init`): ca.crt/.key, localhost.crt/.key
  std::string balancer_address = "127.0.0.1";
  std::uint16_t balancer_port = 7104;  // where agents connect (stage 4's port); 0 = a free loopback port
  int instances = 3;
  bool highly_available_redis = true;  // false: one Redis primary, no failover (faster to start)
  std::string redis_user = "lab-coordinator";
  std::string redis_prefix = "lab:";   // every key of this deployment (must start with lab:)
  // false: Redis's default user open to anyone (the redis-authentication control switched off).
  bool redis_requires_authentication = true;
  // More `lab serve` arguments for every instance (e.g. --idle-timeout-ms 60000, --disable-control NAME).
  std::vector<std::string> extra_serve_args;
  std::filesystem::path lab_binary;  // empty: this executable (a test passes the lab binary)
  std::chrono::milliseconds instance_start_timeout = kStartUpBound;  // until an instance wrote its port file
  std::chrono::milliseconds balancer_ready_timeout{10000};  // until HAProxy reports every instance UP
};

class Stage4Deployment {
 public:
  // Starts Redis, the instances (all at once, then waits for each port file), then HAProxy, and returns once
  // HAProxy reports every instance UP. An error names the part that did not start and its log; whatever had
  // started is stopped again.
  static Result<std::unique_ptr<Stage4Deployment>> start(Stage4DeploymentOptions options);
  ~Stage4Deployment();  // stop()
  Stage4Deployment(const Stage4Deployment&) = delete;
  Stage4Deployment& operator=(const Stage4Deployment&) = delete;

  const std::string& balancer_address() const { return options_.balancer_address; }
  std::uint16_t balancer_port() const { return balancer_->port(); }
  // HAProxy's statistics page on 127.0.0.1 (GET /stats;csv): what it thinks of each instance.
  std::uint16_t stats_port() const { return stats_port_; }
  HaproxyProcess& balancer() { return *balancer_; }

  std::size_t instance_count() const { return instances_.size(); }
  // "coordinator1", ...: the instance's server name in HAProxy's backend.
  const std::string& instance_name(std::size_t i) const { return instances_.at(i).name; }
  // Where instance `i` listens on 127.0.0.1 (PROXY v2 from the balancer's address, then mutual TLS).
  std::uint16_t instance_port(std::size_t i) const { return instances_.at(i).port; }
  std::filesystem::path instance_log(std::size_t i) const { return instances_.at(i).dir / "coordinator.log"; }
  bool instance_running(std::size_t i) { return instances_.at(i).process.running(); }

  // For failover drills: kill_primary(), wait_for_failover(), the password file, the Sentinels.
  RedisDeployment& redis() { return *redis_; }
  const std::filesystem::path& work_dir() const { return options_.work_dir; }

  // SIGKILL instance `i` (a crash: its open connections drop; HAProxy marks it DOWN within about 0.6 s).
  void kill_instance(std::size_t i);
  // Stops instance `i` if it runs, starts it again on the same port, and waits until HAProxy reports it UP.
  Status restart_instance(std::size_t i);

  // The balancer, then the instances, then Redis; idempotent.
  void stop();

 private:
  struct Instance {
    std::string name;
    std::filesystem::path dir;
    std::uint16_t port = 0;
    ChildProcess process;
  };

  explicit Stage4Deployment(Stage4DeploymentOptions options) : options_(std::move(options)) {}
  Status spawn_instance(Instance& instance, std::uint16_t port);
  Status wait_for_instance(Instance& instance);
  Status start_balancer();
  Status wait_until_up(const Instance& instance);

  Stage4DeploymentOptions options_;
  std::optional<RedisDeployment> redis_;
  std::vector<Instance> instances_;
  std::unique_ptr<HaproxyProcess> balancer_;
  std::uint16_t stats_port_ = 0;
};

}  // namespace lab::runner
