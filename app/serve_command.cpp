#include "serve_command.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;

bool is_loopback_address(const std::string& address) {
  return address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

int run_serve(const ServeOptions& options) {
  const StageInfo* stage = find_stage(options.stage);
  if (!stage) {
    std::cerr << "error: stage " << options.stage << " is not implemented yet\n";
    return 2;
  }
  if (stage->deliberately_vulnerable && !is_loopback_address(options.bind_address) &&
      !options.expose_vulnerable_server) {
    std::cerr << "error: stage " << stage->number << " is deliberately vulnerable and binds loopback only.\n"
              << "       To listen on " << options.bind_address
              << " anyway, add --expose-vulnerable-server (anyone who can reach it owns it).\n";
    return 2;
  }
  coordinator::StageConfig config;
  config.bind_address = options.bind_address;
  if (options.port > 65535) {
    std::cerr << "error: --port must be 0..65535\n";
    return 2;
  }
  config.port = options.port < 0 ? stage->default_port : static_cast<std::uint16_t>(options.port);
  config.threads = options.threads;
  config.flush_interval = std::chrono::milliseconds(std::max(options.flush_ms, 1));
  config.idle_timeout = std::chrono::milliseconds(std::max(options.idle_timeout_ms, 0));
  config.absolute_timeout = std::chrono::milliseconds(std::max(options.absolute_timeout_ms, 0));
  config.prng_seed_bits = options.narrow_prng_seed_bits;
  config.disabled_controls = options.disabled_controls;
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
  if (stage->deliberately_vulnerable && !is_loopback_address(options.bind_address)) {
    spdlog::warn("stage {} is deliberately vulnerable and is exposed on {}", stage->number, options.bind_address);
  }
  std::cout << "stage " << stage->number << " (" << stage->name << ") coordinator listening on "
            << config.bind_address << ":" << server->port() << std::endl;
  if (!options.port_file.empty()) {
    const auto tmp = options.port_file.string() + ".tmp";
    std::ofstream(tmp) << server->port() << "\n";
    std::filesystem::rename(tmp, options.port_file);
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("signal {} received, stopping", signal);
  server->stop();
  return 0;
}

}  // namespace lab::app
