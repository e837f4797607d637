#include "coordinator/coordinator_server.h"

#include <stdexcept>

#include "coordinator/front_control.h"

namespace lab::coordinator {

CoordinatorServer::CoordinatorServer(CoordinatorParts parts, net::LineServerOptions server_options,
                                     const Clock& clock, const std::vector<std::string>& disabled_controls) {
  server_options.max_line_bytes = parts.options.validation.max_line_bytes;
  coordinator_ = std::make_unique<Coordinator>(std::move(parts), clock);
  for (const auto& name : disabled_controls) {
    if (auto s = coordinator_->set_control_mode(name, GuardMode::kOff); !s) throw std::invalid_argument(s.error().message);
  }
  for (const Guard* guard : coordinator_->guards().guards_in(Phase::kConnection, GuardMode::kOff)) {
    if (const auto* front = dynamic_cast<const FrontControl*>(guard)) front->switch_off(server_options);
  }
  front_ = std::make_unique<LineFront>(*coordinator_);
  server_ = std::make_unique<net::LineServer>(std::move(server_options), *front_);
}

CoordinatorServer::~CoordinatorServer() { stop(); }

Status CoordinatorServer::start() {
  try {
    coordinator_->load_state();
  } catch (const std::exception& e) {
    // A store that cannot vouch for its state stops the start rather than serve from it.
    return Error{ErrorCode::kInternalError, std::string("refusing to start: ") + e.what()};
  }
  return server_->start();
}

void CoordinatorServer::stop() {
  server_->stop();
  coordinator_->flush_state();
}

}  // namespace lab::coordinator
