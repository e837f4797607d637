// CoordinatorServer: a stage's coordinator on a port — the shared Coordinator built from the stage's parts, and
// the front that feeds it: the line server of stages 1–4, or stage 5's HTTPS front.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/coordinator.h"
#include "coordinator/front_server.h"
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
  // Any other front, made once the coordinator exists (its disabled controls already switched off).
  using FrontFactory = std::function<std::unique_ptr<FrontServer>(Coordinator&)>;
  CoordinatorServer(CoordinatorParts parts, const FrontFactory& make_front, const Clock& clock = system_clock(),
                    const std::vector<std::string>& disabled_controls = {});
  ~CoordinatorServer();

  // Loads saved state, then listens.
  Status start();
  std::uint16_t port() const { return front_->port(); }
  // "tls" or "tcp" (mutual TLS switched off leaves plain TCP) for the line front, "https" for the web front.
  std::string_view transport() const { return front_->transport(); }
  void stop();

  Coordinator& coordinator() { return *coordinator_; }

 private:
  void switch_off(const std::vector<std::string>& disabled_controls);

  std::unique_ptr<Coordinator> coordinator_;
  std::unique_ptr<FrontServer> front_;
};

}  // namespace lab::coordinator
