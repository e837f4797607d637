// lab: the Session Security Lab's command line (see README.md, docs/PROTOCOL.md).
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "serve_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Session Security Lab: session security in agent-to-agent systems, in five stages"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();

  lab::app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "run a stage's coordinator");
  serve_cmd->add_option("--stage", serve.stage, "stage number")->required();
  serve_cmd->add_option("--port", serve.port, "TCP port (default: the stage's own port; 0 = any free port)");
  serve_cmd->add_option("--bind", serve.bind_address, "address to listen on")->capture_default_str();
  serve_cmd->add_flag("--expose-vulnerable-server", serve.expose_vulnerable_server,
                      "allow a deliberately vulnerable stage to listen on a non-loopback address");
  serve_cmd->add_option("--state-dir", serve.state_dir, "where the stage keeps its state")->capture_default_str();
  serve_cmd->add_flag("--in-memory", serve.in_memory, "keep no state on disk");
  serve_cmd->add_option("--threads", serve.threads, "io threads (0 = one per core)")->capture_default_str();
  serve_cmd->add_option("--port-file", serve.port_file, "write the listening port to this file");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%H:%M:%S.%e %^%l%$ %v");

  if (*serve_cmd) return lab::app::run_serve(serve);
  return 0;
}
