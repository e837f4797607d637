#include "serve_command.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "coordinator/property_control.h"
#include "coordinator/serve_options.h"
#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "runner/stage4_deployment.h"
#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;

void add_serve_flags(CLI::App& command, ServeOptions& options) {
  command.add_option("--stage", options.stage, "stage number")->required();
  command.add_option("--port", options.port, "TCP port (default: the stage's own port; 0 = any free port)");
  command.add_flag("--expose-vulnerable-server", options.expose_vulnerable_server,
                   "allow a deliberately vulnerable stage to listen on a non-loopback address");
  command.add_option("--state-dir", options.state_dir, "where the stage keeps its state")->capture_default_str();
  command.add_flag("--in-memory", options.in_memory, "keep no state on disk");
  command.add_option("--port-file", options.port_file,
                     "write the listening port and transport (e.g. \"7103 tls\") to this file");
  auto& config = options.config;
  for (const auto& row : coordinator::serve_options()) {
    const std::string flag(row.flag);
    std::string help(row.help);
    for (std::size_t i = 0; i < row.stages.size(); ++i) {
      help += (i == 0 ? (row.stages.size() == 1 ? " [stage " : " [stages ") : ", ") + std::to_string(row.stages[i]);
      if (i + 1 == row.stages.size()) help += "]";
    }
    std::visit(
        [&](auto member) {
          using Value = std::remove_reference_t<decltype(config.*member)>;
          if constexpr (std::is_same_v<Value, std::chrono::milliseconds>) {
            command
                .add_option_function<long long>(
                    flag, [&config, member](const long long& ms) { config.*member = std::chrono::milliseconds(ms); },
                    help)
                ->check(CLI::Range(row.min, row.max));
          } else if constexpr (std::is_same_v<Value, int>) {
            command.add_option(flag, config.*member, help)->check(CLI::Range(row.min, row.max));
          } else {
            command.add_option(flag, config.*member, help);
          }
        },
        row.field);
  }
}

namespace {

// Blocks the stop signals in every thread started from here on; the caller waits for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

// What the local deployment's instances get beyond what it sets itself: every other option given to `lab serve`.
std::vector<std::string> instance_args(coordinator::StageConfig config, bool in_memory) {
  const coordinator::StageConfig defaults;
  config.bind_address = defaults.bind_address;  // the balancer's address; instances stay on 127.0.0.1
  config.certificate_dir = defaults.certificate_dir;
  config.redis_user = defaults.redis_user;
  config.redis_prefix = defaults.redis_prefix;
  auto args = coordinator::to_serve_args(config, 4);
  if (in_memory) args.emplace_back("--in-memory");
  return args;
}

// One line of the deployment's listing: a label padded to one column, then where it is.
void print_row(const std::string& label, const std::string& where) {
  std::cout << "  " << label << std::string(label.size() < 30 ? 30 - label.size() : 1, ' ') << where << "\n";
}

void print_deployment(runner::Stage4Deployment& d, const std::string& user) {
  auto& redis = d.redis();
  const auto loopback = [](std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); };
  std::cout << "stage 4 (distributed), the local deployment:\n";
  print_row("balancer (HAProxy)", d.balancer_address() + ":" + std::to_string(d.balancer_port()) +
                                      "   <- agents connect here (mutual TLS end to end, PROXY v2 to the instances)");
  print_row("balancer statistics", "http://" + loopback(d.stats_port()) + "/stats");
  for (std::size_t i = 0; i < d.instance_count(); ++i) {
    print_row(d.instance_name(i), loopback(d.instance_port(i)) + "   log " + d.instance_log(i).string());
  }
  print_row("Redis primary (TLS)", redis.primary().to_string());
  if (const auto replica = redis.replica()) print_row("Redis replica (TLS)", replica->to_string());
  for (const auto& sentinel : redis.sentinels()) print_row("Redis Sentinel (TLS)", sentinel.to_string());
  print_row("Redis password file", redis.password_file().string() + " (ACL user " + user + ")");
  print_row("logs and state", d.work_dir().string());
  std::cout << "Ctrl-C stops them all." << std::endl;
}

// `lab serve --stage 4` without --redis or --sentinel: Redis (primary, replica, three Sentinels), three
// coordinator instances and HAProxy in front of them, all on loopback, until SIGINT/SIGTERM.
int run_stage4_deployment(const ServeOptions& options, const StageInfo& stage) {
  const auto& config = options.config;
  if (auto checked = coordinator::check_options_for_stage(config, stage.number); !checked) {
    std::cerr << "error: " << checked.error().message << "\n";
    return 2;
  }
  if (!config.redis_password_file.empty() || !config.proxy_protocol_from.empty()) {
    std::cerr << "error: --redis-password-file and --proxy-protocol-from go with --redis or --sentinel (one\n"
              << "       instance); without them `lab serve --stage 4` starts its own Redis and balancer\n";
    return 2;
  }
  const sigset_t stop_signals = block_stop_signals();
  // --in-memory: the deployment's files (Redis's AOF, the logs) live in a directory removed at the end.
  std::optional<TemporaryDirectory> scratch;
  if (options.in_memory) {
    auto made = TemporaryDirectory::create("lab-stage4-");
    if (!made) {
      std::cerr << "error: " << made.error().message << "\n";
      return 1;
    }
    scratch.emplace(std::move(*made));
  }
  runner::Stage4DeploymentOptions o;
  o.work_dir = scratch ? scratch->path() : options.state_dir / "stage4-local";
  o.ca_dir = config.certificate_dir;  // without ca.crt, start() says to run ./lab ca init
  o.balancer_address = config.bind_address;
  o.balancer_port = options.port < 0 ? stage.default_port : static_cast<std::uint16_t>(options.port);
  o.redis_user = config.redis_user;
  o.redis_prefix = config.redis_prefix;
  o.extra_serve_args = instance_args(config, options.in_memory);
  o.redis_requires_authentication =
      !coordinator::is_switched_off(config.disabled_controls, coordinator::kRedisAuthenticationControl);
  for (const auto& name : config.disabled_controls) {
    std::cerr << "warning: control '" << name << "' is switched off in every instance: this stage now lacks it\n";
  }
  std::cout << "starting Redis, " << o.instances << " coordinator instances and HAProxy in " << o.work_dir.string()
            << " ..." << std::endl;
  auto deployment = runner::Stage4Deployment::start(o);
  if (!deployment) {
    std::cerr << "error: " << deployment.error().message << "\n";
    return deployment.error().code == ErrorCode::kInvalidField ? 2 : 1;  // 2: what was asked cannot run
  }
  print_deployment(**deployment, o.redis_user);
  if (!options.port_file.empty()) {
    const auto line = std::to_string((*deployment)->balancer_port()) + " tls\n";  // agents speak TLS to it
    if (auto why = replace_file_atomically(options.port_file, line)) {
      std::cerr << "warning: cannot write " << options.port_file.string() << ": " << *why << "\n";
    }
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("signal {} received, stopping the balancer, the coordinators and Redis", signal);
  (*deployment)->stop();
  return 0;
}

}  // namespace

bool is_loopback_address(const std::string& address) {
  return address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

int run_serve(const ServeOptions& options) {
  const StageInfo* stage = stages::find_servable_stage(options.stage);
  if (!stage) {
    std::cerr << "error: " << stages::unavailable_stage(options.stage) << "\n";
    return 2;
  }
  coordinator::StageConfig config = options.config;
  if (stage->deliberately_vulnerable && !is_loopback_address(config.bind_address) &&
      !options.expose_vulnerable_server) {
    std::cerr << "error: stage " << stage->number << " is deliberately vulnerable and binds loopback only.\n"
              << "       To listen on " << config.bind_address
              << " anyway, add --expose-vulnerable-server (anyone who can reach it owns it).\n";
    return 2;
  }
  if (options.port > 65535) {
    std::cerr << "error: --port must be 0..65535\n";
    return 2;
  }
  if (stage->number == 4 && config.redis.empty() && config.sentinels.empty()) {
    return run_stage4_deployment(options, *stage);  // the whole local deployment, not one instance
  }
  config.port = options.port < 0 ? stage->default_port : static_cast<std::uint16_t>(options.port);
  if (!options.in_memory) config.state_dir = options.state_dir;

  // Block the stop signals in every thread; this one waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto composed = stages::compose_stage(stage->number, config);
  if (!composed) {
    std::cerr << "error: " << composed.error().message << "\n";
    return 2;
  }
  auto server = std::move(*composed);
  for (const auto& name : config.disabled_controls) {
    std::cerr << "warning: control '" << name << "' is switched off: this stage now lacks it on purpose\n";
  }
  if (auto started = server->start(); !started) {
    std::cerr << "error: " << started.error().message << "\n";
    return 1;
  }
  if (stage->deliberately_vulnerable && !is_loopback_address(config.bind_address)) {
    spdlog::warn("stage {} is deliberately vulnerable and is exposed on {}", stage->number, config.bind_address);
  }
  std::cout << "stage " << stage->number << " (" << stage->name << ") coordinator listening on "
            << config.bind_address << ":" << server->port() << std::endl;
  if (!options.port_file.empty()) {
    const auto tmp = options.port_file.string() + ".tmp";
    std::ofstream(tmp) << server->port() << " " << server->transport() << "\n";  // "7103 tls"
    std::filesystem::rename(tmp, options.port_file);
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("signal {} received, stopping", signal);
  server->stop();
  return 0;
}

}  // namespace lab::app
