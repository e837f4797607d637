// CoordinatorServer: a stage's coordinator on a TCP port — the shared
// Coordinator built from the stage's parts, and the line server that feeds it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/coordinator.h"
#include "coordinator/line_front.h"
#include "core/clock.h"
#include "net/line_server.h"

namespace lab::coordinator {

// What an operator or a test may choose when starting any stage.
struct StageConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;
  int threads = 0;                    // io threads; 0 = hardware concurrency
  std::filesystem::path state_dir;    // where the stage keeps its state; empty = in memory only
  std::chrono::milliseconds flush_interval{100};
  // Session lifetimes; zero = the stage's own default. Stages without timeouts ignore them.
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds absolute_timeout{0};
  // Test hook: a stage with a statistical session-id generator seeds it with
  // only this many bits (32 = unchanged). See SessionOptions::prng_seed_bits.
  int prng_seed_bits = 32;
  // What every part of the stage asks for the time; tests pass a ManualClock
  // (which must outlive the server) to expire sessions without sleeping.
  const Clock* clock = &system_clock();
  // Controls of the stage's chain to switch off (`lab serve --disable-control NAME`), so
  // that a learner sees exactly one attack come back. Unknown names refuse the start.
  std::vector<std::string> disabled_controls;
};

class CoordinatorServer {
 public:
  CoordinatorServer(CoordinatorParts parts, net::LineServerOptions server_options,
                    const Clock& clock = system_clock());
  ~CoordinatorServer();

  // Loads saved state, then listens.
  Status start();
  std::uint16_t port() const { return server_->port(); }
  void stop();

  Coordinator& coordinator() { return *coordinator_; }
  net::LineServer& line_server() { return *server_; }

 private:
  std::unique_ptr<Coordinator> coordinator_;
  std::unique_ptr<LineFront> front_;
  std::unique_ptr<net::LineServer> server_;
};

}  // namespace lab::coordinator
