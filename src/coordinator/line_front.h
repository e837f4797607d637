// LineFront: the newline-JSON TCP front of the coordinator. It turns a line
// into a Request (and errors into error lines), asks the transport-neutral
// Coordinator to handle it, serializes the response, sends slow operations to
// the server's blocking pool, and frames pushed events as lines. Stage 5 puts
// an HTTPS front beside it; the coordinator does not change.
#pragma once

#include "coordinator/coordinator.h"
#include "net/line_server.h"

namespace lab::coordinator {

class LineFront final : public net::LineHandler {
 public:
  explicit LineFront(Coordinator& coordinator) : coordinator_(coordinator) {}

  net::LineReply on_line(std::string_view line, net::ConnectionContext& connection) override;
  std::string on_oversized_line(net::ConnectionContext& connection) override;
  std::string on_handler_failure(net::ConnectionContext& connection) override;

 private:
  std::string respond(const Request& request, const RequestOrigin& origin);

  Coordinator& coordinator_;
};

}  // namespace lab::coordinator
