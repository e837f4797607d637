#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lab::app {

struct ServeOptions {
  int stage = 1;
  std::string bind_address = "127.0.0.1";
  int port = -1;  // -1 = the stage's default port, 0 = any free port
  bool expose_vulnerable_server = false;
  std::filesystem::path state_dir = "state";
  bool in_memory = false;
  int threads = 0;
  std::filesystem::path port_file;  // written once listening (for scripts)
  int flush_ms = 100;               // how soon changes reach the state file
  int idle_timeout_ms = 0;          // 0 = the stage's default
  int absolute_timeout_ms = 0;      // 0 = the stage's default
  int narrow_prng_seed_bits = 32;   // test hook for stage 2's seed search (32 = unchanged)
  std::vector<std::string> disabled_controls;  // --disable-control NAME (repeatable)
};

// Runs a stage's coordinator until SIGINT/SIGTERM. Returns the exit status.
int run_serve(const ServeOptions& options);

// True for 127.0.0.0/8 and ::1.
bool is_loopback_address(const std::string& address);

}  // namespace lab::app
