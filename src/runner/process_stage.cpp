#include "runner/process_stage.h"

#include "client/client_profile.h"
#include "coordinator/property_control.h"
#include "coordinator/serve_options.h"
#include "runner/port_file.h"
#include "security/lab_ca_directory.h"

namespace lab::runner {

namespace {

constexpr int kDistributedStage = 4;
constexpr const char* kRedisPrefix = "lab:";  // the cell's Redis is its own: one prefix serves

}  // namespace

Result<std::unique_ptr<ProcessStage>> ProcessStage::start(const ProcessStageOptions& options) {
  std::error_code ec;
  std::filesystem::remove_all(options.work_dir, ec);
  std::filesystem::create_directories(options.work_dir / "state", ec);
  if (ec) return Error{ErrorCode::kInternalError, "cannot create " + options.work_dir.string() + ": " + ec.message()};
  std::unique_ptr<ProcessStage> stage(new ProcessStage(options));
  if (client::profile_for(options.stage).uses_certificates()) {
    // A CA of its own, as `lab ca init` makes it: the lab users' certificates and the insider's.
    stage->certificate_dir_ = options.work_dir / "ca";
    const auto holders = client::lab_certificate_holders();
    if (auto made = security::prepare_lab_ca_directory(stage->certificate_dir_, holders); !made) {
      return Error{ErrorCode::kInternalError, "cannot make the stage's lab CA: " + made.error().message};
    }
  }
  stage->instances_.push_back(Instance{.suffix = ""});
  if (options.stage == kDistributedStage) {
    auto redis = RedisDeployment::start(
        {.work_dir = options.work_dir / "redis",
         .ca_dir = stage->certificate_dir_,
         .with_replica_and_sentinels = false,
         .require_authentication = !coordinator::is_switched_off(options.disabled_controls,
                                                                  coordinator::kRedisAuthenticationControl)});
    if (!redis) return Error{ErrorCode::kInternalError, "cannot start the stage's Redis: " + redis.error().message};
    stage->redis_.emplace(std::move(*redis));
    stage->instances_.push_back(Instance{.suffix = "-b", .wanted = false});
    std::filesystem::create_directories(options.work_dir / "state-b", ec);
  }
  if (auto s = stage->launch(); !s) return s.error();
  return stage;
}

ProcessStage::~ProcessStage() { stop_instances(); }

int ProcessStage::stop_instances() {
  for (auto& instance : instances_) instance.process.ask_to_stop();
  int worst = 0;
  for (auto& instance : instances_) {
    const int status = instance.process.terminate();
    if (worst == 0) worst = status;
  }
  return worst;
}

Status ProcessStage::launch() {
  // Every instance is spawned first, then each is waited for: they start side by side.
  for (auto& instance : instances_) {
    if (!instance.wanted) continue;
    if (auto s = spawn(instance); !s) return s;
  }
  for (auto& instance : instances_) {
    if (!instance.wanted) continue;
    if (auto s = wait_until_listening(instance); !s) return s;
  }
  return ok_status();
}

std::filesystem::path ProcessStage::port_file(const Instance& instance) const {
  return options_.work_dir / ("coordinator" + instance.suffix + ".port");
}
std::filesystem::path ProcessStage::log_file(const Instance& instance) const {
  return options_.work_dir / ("coordinator" + instance.suffix + ".log");
}

Status ProcessStage::spawn(Instance& instance) {
  std::filesystem::remove(port_file(instance));
  // The settings the attacks were told about, as the stage's own configuration;
  // the serve-options table turns it into exactly the flags this stage reads.
  coordinator::StageConfig config;
  config.threads = options_.threads;
  config.flush_interval = options_.settings.flush_interval;
  config.idle_timeout = options_.settings.idle_timeout;
  config.absolute_timeout = options_.settings.absolute_timeout;
  config.connection_idle_timeout = options_.settings.connection_idle_timeout;
  if (!certificate_dir_.empty()) config.certificate_dir = certificate_dir_.string();
  config.prng_seed_bits = options_.settings.prng_seed_bits;
  config.agent_requests_per_second = options_.settings.agent_requests_per_second;
  config.access_token_seconds = static_cast<int>(options_.settings.access_token_lifetime.count());
  config.token_audiences = options_.settings.token_audiences;
  config.argon2_memory_kib = options_.settings.argon2_memory_kib;
  config.bcrypt_cost = options_.settings.bcrypt_cost;
  config.disabled_controls = options_.disabled_controls;
  if (redis_) {
    config.redis = redis_->primary().to_string();
    config.redis_password_file = redis_->password_file().string();
    config.redis_prefix = kRedisPrefix;
  }
  const auto state = options_.work_dir / ("state" + instance.suffix);
  std::vector<std::string> args{"serve", "--stage", std::to_string(options_.stage), "--port", "0", "--port-file",
                                port_file(instance).string(), "--state-dir", state.string()};
  for (auto& arg : coordinator::to_serve_args(config, options_.stage)) args.push_back(std::move(arg));
  try {
    instance.process = ChildProcess::spawn(options_.binary, args, log_file(instance));
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternalError, e.what()};
  }
  return ok_status();
}

Status ProcessStage::wait_until_listening(Instance& instance) {
  auto listening = wait_for_port_file(port_file(instance), instance.process, log_file(instance), kStartUpBound,
                                      "stage " + std::to_string(options_.stage));
  if (!listening) return listening.error();
  instance.port = listening->port;
  instance.tls = listening->tls();
  return ok_status();
}

net::ClientOptions ProcessStage::endpoint_of(const Instance& instance) const {
  net::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = instance.port;
  if (!certificate_dir_.empty() && instance.tls) {
    // Mutual TLS trusting the stage's CA. The connection presents the insider's certificate unless a login
    // replaces it with the agent's own (ClientProfile::connection_for): a probe without a session gets past
    // the handshake, so what refuses it is the control it targets, not the transport.
    const auto insider = security::agent_files(certificate_dir_, client::kInsiderWithoutAccount);
    o.tls = net::TlsClientFiles{.ca_file = (certificate_dir_ / "ca.crt").string(),
                                .server_name = security::kLabServerName,
                                .certificate_file = insider.certificate.string(),
                                .private_key_file = insider.private_key.string()};
  }
  return o;
}

net::ClientOptions ProcessStage::endpoint() const { return endpoint_of(instances_.front()); }

std::optional<net::ClientOptions> ProcessStage::other_instance() {
  if (instances_.size() < 2) return std::nullopt;
  Instance& other = instances_[1];
  if (!other.wanted) {
    other.wanted = true;
    if (!spawn(other) || !wait_until_listening(other)) return std::nullopt;
  }
  return endpoint_of(other);
}

std::optional<attacks::SharedStore> ProcessStage::shared_store() const {
  if (!redis_) return std::nullopt;
  return attacks::SharedStore{.endpoint = redis_->primary(),
                              .tls = redis::RedisTls{.ca_file = (certificate_dir_ / "ca.crt").string()},
                              .insider = redis_->credentials(),
                              .prefix = kRedisPrefix};
}

std::filesystem::path ProcessStage::state_dir() const { return options_.work_dir / "state"; }

void ProcessStage::crash() {
  for (auto& instance : instances_) instance.process.kill_now();
}

Status ProcessStage::stop() {
  const int status = stop_instances();
  if (status != 0) return Error{ErrorCode::kInternalError, "stage exited with status " + std::to_string(status)};
  return ok_status();
}

Status ProcessStage::restart() {
  stop_instances();
  return launch();
}

}  // namespace lab::runner
