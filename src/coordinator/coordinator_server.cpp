#include "coordinator/coordinator_server.h"

namespace lab::coordinator {

CoordinatorServer::CoordinatorServer(CoordinatorParts parts, net::LineServerOptions server_options,
                                     const Clock& clock) {
  server_options.max_line_bytes = parts.options.validation.max_line_bytes;
  coordinator_ = std::make_unique<Coordinator>(std::move(parts), clock);
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
