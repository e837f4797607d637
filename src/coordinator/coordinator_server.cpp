#include "coordinator/coordinator_server.h"

#include <stdexcept>

#include "coordinator/front_control.h"

namespace lab::coordinator {
namespace {

// Stages 1–4: newline JSON over TCP or TLS.
class LineFrontServer final : public FrontServer {
 public:
  LineFrontServer(Coordinator& coordinator, net::LineServerOptions options)
      : front_(coordinator), server_(std::move(options), front_) {}
  Status start() override { return server_.start(); }
  std::uint16_t port() const override { return server_.port(); }
  std::string_view transport() const override { return server_.uses_tls() ? "tls" : "tcp"; }
  void stop() override { server_.stop(); }

 private:
  LineFront front_;
  net::LineServer server_;
};

}  // namespace

CoordinatorServer::CoordinatorServer(CoordinatorParts parts, net::LineServerOptions server_options,
                                     const Clock& clock, const std::vector<std::string>& disabled_controls) {
  server_options.max_line_bytes = parts.options.validation.max_line_bytes;
  coordinator_ = std::make_unique<Coordinator>(std::move(parts), clock);
  switch_off(disabled_controls);
  for (const Guard* guard : coordinator_->guards().guards_in(Phase::kConnection, GuardMode::kOff)) {
    if (const auto* front = dynamic_cast<const FrontControl*>(guard)) front->switch_off(server_options);
  }
  front_ = std::make_unique<LineFrontServer>(*coordinator_, std::move(server_options));
}

CoordinatorServer::CoordinatorServer(CoordinatorParts parts, const FrontFactory& make_front, const Clock& clock,
                                     const std::vector<std::string>& disabled_controls) {
  coordinator_ = std::make_unique<Coordinator>(std::move(parts), clock);
  switch_off(disabled_controls);
  front_ = make_front(*coordinator_);
}

void CoordinatorServer::switch_off(const std::vector<std::string>& disabled_controls) {
  for (const auto& name : disabled_controls) {
    if (auto s = coordinator_->set_control_mode(name, GuardMode::kOff); !s) throw std::invalid_argument(s.error().message);
  }
}

CoordinatorServer::~CoordinatorServer() { stop(); }

Status CoordinatorServer::start() {
  try {
    coordinator_->load_state();
  } catch (const std::exception& e) {
    // A store that cannot vouch for its state stops the start rather than serve from it.
    return Error{ErrorCode::kInternalError, std::string("refusing to start: ") + e.what()};
  }
  return front_->start();
}

void CoordinatorServer::stop() {
  front_->stop();
  coordinator_->flush_state();
}

}  // namespace lab::coordinator
