#include "runner/process_stage.h"

#include "client/client_profile.h"
#include "coordinator/serve_options.h"
#include "runner/port_file.h"
#include "security/lab_ca_directory.h"

namespace lab::runner {

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
  if (auto s = stage->launch(); !s) return s.error();
  return stage;
}

ProcessStage::~ProcessStage() { process_.terminate(); }

Status ProcessStage::launch() {
  const auto port_file = options_.work_dir / "coordinator.port";
  std::filesystem::remove(port_file);
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
  config.disabled_controls = options_.disabled_controls;
  std::vector<std::string> args{"serve", "--stage", std::to_string(options_.stage), "--port", "0", "--port-file",
                                port_file.string(), "--state-dir", state_dir().string()};
  for (auto& arg : coordinator::to_serve_args(config, options_.stage)) args.push_back(std::move(arg));
  try {
    process_ = ChildProcess::spawn(options_.binary, args, log_file());
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternalError, e.what()};
  }
  auto listening = wait_for_port_file(port_file, process_, log_file(), std::chrono::seconds(15),
                                     "stage " + std::to_string(options_.stage));
  if (!listening) return listening.error();
  port_ = listening->port;
  tls_ = listening->tls();
  return ok_status();
}

net::ClientOptions ProcessStage::endpoint() const {
  net::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port_;
  if (!certificate_dir_.empty() && tls_) {
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

std::filesystem::path ProcessStage::state_dir() const { return options_.work_dir / "state"; }

void ProcessStage::crash() { process_.kill_now(); }

Status ProcessStage::stop() {
  const int status = process_.terminate();
  if (status != 0) return Error{ErrorCode::kInternalError, "stage exited with status " + std::to_string(status)};
  return ok_status();
}

Status ProcessStage::restart() {
  process_.terminate();
  return launch();
}

}  // namespace lab::runner
