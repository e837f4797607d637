// CoordinatorServer: a stage's coordinator on a TCP port — the shared
// Coordinator built from the stage's parts, and the line server that feeds it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "coordinator/coordinator.h"
#include "coordinator/line_front.h"
#include "coordinator/stage_config.h"
#include "core/clock.h"
#include "net/line_server.h"

namespace lab::coordinator {

class CoordinatorServer {
 public:
  // Switches `disabled_controls` off first (a connection-phase control by
  // changing the front's options); throws std::invalid_argument when one of
  // them cannot be switched off (see Coordinator::set_control_mode).
  CoordinatorServer(CoordinatorParts parts, net::LineServerOptions server_options, const Clock& clock = system_clock(),
                    const std::vector<std::string>& disabled_controls = {});
  ~CoordinatorServer();

  // Loads saved state, then listens.
  Status start();
  std::uint16_t port() const { return server_->port(); }
  // "tls" or "tcp": what a client must speak (mutual TLS switched off leaves plain TCP).
  std::string_view transport() const { return server_->uses_tls() ? "tls" : "tcp"; }
  void stop();

  Coordinator& coordinator() { return *coordinator_; }
  net::LineServer& line_server() { return *server_; }

 private:
  std::unique_ptr<Coordinator> coordinator_;
  std::unique_ptr<LineFront> front_;
  std::unique_ptr<net::LineServer> server_;
};

}  // namespace lab::coordinator
