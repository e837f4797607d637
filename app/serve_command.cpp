#include "serve_command.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "coordinator/serve_options.h"
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

bool is_loopback_address(const std::string& address) {
  return address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

int run_serve(const ServeOptions& options) {
  const StageInfo* stage = find_stage(options.stage);
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
