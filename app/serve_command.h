#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "coordinator/stage_config.h"

namespace lab::app {

// What `lab serve` takes: the process's own choices, and the stage's
// configuration, whose flags come from the serve-options table.
struct ServeOptions {
  int stage = 1;
  int port = -1;  // -1 = the stage's default port, 0 = any free port
  bool expose_vulnerable_server = false;
  std::filesystem::path state_dir = "state";
  bool in_memory = false;
  std::filesystem::path port_file;  // written once listening (for scripts)
  coordinator::StageConfig config;  // port and state_dir are filled in from the fields above
};

// Registers the `serve` subcommand's flags on `command`.
void add_serve_flags(CLI::App& command, ServeOptions& options);

// Runs a stage's coordinator until SIGINT/SIGTERM. Returns the exit status.
int run_serve(const ServeOptions& options);

// True for 127.0.0.0/8 and ::1.
bool is_loopback_address(const std::string& address);

}  // namespace lab::app
