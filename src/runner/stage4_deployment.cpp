#include "runner/stage4_deployment.h"

#include <unistd.h>

#include <system_error>

#include "runner/port_file.h"

namespace lab::runner {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInstanceAddress = "127.0.0.1";  // instances listen here; the balancer connects from here
constexpr int kBalancerStartAttempts = 3;  // a port picked free may be taken before HAProxy binds it
constexpr int kMaxInstances = 16;

Error deployment_error(std::string message) { return Error{ErrorCode::kInternalError, std::move(message)}; }

Status check_options(const Stage4DeploymentOptions& o) {
  if (o.work_dir.empty()) return Error{ErrorCode::kInvalidField, "a stage 4 deployment needs a work directory"};
  if (o.instances < 1 || o.instances > kMaxInstances) {
    return Error{ErrorCode::kInvalidField, "a stage 4 deployment runs 1.." + std::to_string(kMaxInstances) +
                                               " coordinator instances"};
  }
  if (!fs::exists(o.ca_dir / "ca.crt")) {
    return Error{ErrorCode::kInvalidField, "stage 4 needs the lab CA: " + (o.ca_dir / "ca.crt").string() +
                                               " is missing (run ./lab ca init, or pass --certificates DIR)"};
  }
  if (!o.redis_prefix.starts_with("lab:")) {
    return Error{ErrorCode::kInvalidField, "the Redis prefix must start with lab: (the coordinators' ACL reaches "
                                           "only lab:*)"};
  }
  if (::access(kHaproxyBinary, X_OK) != 0) {
    return deployment_error(std::string(kHaproxyBinary) + " is missing: stage 4's balancer is HAProxy (./lab setup "
                                                 "installs it)");
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<Stage4Deployment>> Stage4Deployment::start(Stage4DeploymentOptions options) {
  if (auto s = check_options(options); !s) return s.error();
  options.work_dir = fs::absolute(options.work_dir);
  options.ca_dir = fs::absolute(options.ca_dir);
  if (options.lab_binary.empty()) options.lab_binary = self_executable();
  std::unique_ptr<Stage4Deployment> d(new Stage4Deployment(std::move(options)));
  const auto& o = d->options_;

  auto redis = RedisDeployment::start({.work_dir = o.work_dir / "redis",
                                       .ca_dir = o.ca_dir,
                                       .with_replica_and_sentinels = o.highly_available_redis,
                                       .user = o.redis_user,
                                       .require_authentication = o.redis_requires_authentication});
  if (!redis) return deployment_error("stage 4's Redis did not start: " + redis.error().message);
  d->redis_.emplace(std::move(*redis));

  // Every instance starts at once (each hashes the lab users' passwords at start), then each is waited for.
  d->instances_.reserve(static_cast<std::size_t>(o.instances));
  for (int i = 1; i <= o.instances; ++i) {
    const std::string name = "coordinator" + std::to_string(i);
    d->instances_.push_back(Instance{.name = name, .dir = o.work_dir / name});
    if (auto s = d->spawn_instance(d->instances_.back(), 0); !s) return s.error();
  }
  for (auto& instance : d->instances_) {
    if (auto s = d->wait_for_instance(instance); !s) return s.error();
  }
  if (auto s = d->start_balancer(); !s) return s.error();
  for (const auto& instance : d->instances_) {
    if (auto s = d->wait_until_up(instance); !s) return s.error();
  }
  return d;
}

Stage4Deployment::~Stage4Deployment() { stop(); }

Status Stage4Deployment::spawn_instance(Instance& instance, std::uint16_t port) {
  std::error_code ec;
  fs::create_directories(instance.dir / "state", ec);
  if (ec) return deployment_error("cannot create " + instance.dir.string() + ": " + ec.message());
  const auto port_file = instance.dir / "coordinator.port";
  fs::remove(port_file, ec);
  // The instance finds Redis as an operator's would: through the Sentinels (or the one primary), as the
  // coordinators' ACL user, over TLS with the lab CA; it believes PROXY v2 headers from the balancer only.
  // It listens on `lab serve`'s default address, 127.0.0.1.
  std::vector<std::string> args{
      "serve", "--stage", "4", "--port", std::to_string(port), "--port-file", port_file.string(),
      "--state-dir", (instance.dir / "state").string(), "--certificates", options_.ca_dir.string(),
      "--redis-user", options_.redis_user, "--redis-password-file", redis_->password_file().string(),
      "--redis-prefix", options_.redis_prefix, "--proxy-protocol-from", kInstanceAddress};
  if (redis_->highly_available()) {
    for (const auto& sentinel : redis_->sentinels()) {
      args.push_back("--sentinel");
      args.push_back(sentinel.to_string());
    }
  } else {
    args.push_back("--redis");
    args.push_back(redis_->primary().to_string());
  }
  args.insert(args.end(), options_.extra_serve_args.begin(), options_.extra_serve_args.end());
  try {
    instance.process = ChildProcess::spawn(options_.lab_binary, args, instance.dir / "coordinator.log");
  } catch (const std::exception& e) {
    return deployment_error(instance.name + ": " + e.what());
  }
  return ok_status();
}

Status Stage4Deployment::wait_for_instance(Instance& instance) {
  auto listening = wait_for_port_file(instance.dir / "coordinator.port", instance.process,
                                      instance.dir / "coordinator.log", options_.instance_start_timeout,
                                      "stage 4 " + instance.name);
  if (!listening) return listening.error();
  instance.port = listening->port;
  return ok_status();
}

Status Stage4Deployment::start_balancer() {
  BalancerPlan plan;
  plan.bind_address = options_.balancer_address;
  for (const auto& instance : instances_) plan.servers.push_back({instance.name, kInstanceAddress, instance.port});
  Status last = deployment_error("the balancer did not start");
  for (int attempt = 0; attempt < kBalancerStartAttempts; ++attempt) {
    auto stats = free_loopback_port();
    if (!stats) return stats.error();
    plan.stats = BalancerStats{"127.0.0.1", *stats};
    plan.port = options_.balancer_port;
    if (plan.port == 0) {
      auto port = free_loopback_port();
      if (!port) return port.error();
      plan.port = *port;
    }
    auto started = HaproxyProcess::start({.plan = plan, .work_dir = options_.work_dir / "balancer"});
    if (started) {
      balancer_ = std::move(*started);
      stats_port_ = *stats;
      return ok_status();
    }
    last = started.error();
  }
  return last;
}

Status Stage4Deployment::wait_until_up(const Instance& instance) {
  if (balancer_->wait_for_status(instance.name, "UP", options_.balancer_ready_timeout)) return ok_status();
  return deployment_error("HAProxy does not report " + instance.name + " (127.0.0.1:" + std::to_string(instance.port) +
                 ") UP; see " + balancer_->log_file().string() + " and " +
                 (instance.dir / "coordinator.log").string());
}

void Stage4Deployment::kill_instance(std::size_t i) { instances_.at(i).process.kill_now(); }

Status Stage4Deployment::restart_instance(std::size_t i) {
  auto& instance = instances_.at(i);
  instance.process.terminate();
  // The same port: it is the one HAProxy's backend names (the listener reuses the address at once).
  if (auto s = spawn_instance(instance, instance.port); !s) return s;
  if (auto s = wait_for_instance(instance); !s) return s;
  return balancer_ ? wait_until_up(instance) : ok_status();
}

void Stage4Deployment::stop() {
  // Agents lose the way in first, then the coordinators go (each finishes its requests), then their Redis.
  if (balancer_) (void)balancer_->stop();
  for (auto& instance : instances_) instance.process.terminate();
  if (redis_) redis_->stop();
}

}  // namespace lab::runner
