#include "coordinator/line_front.h"

#include "core/envelope.h"

namespace lab::coordinator {
namespace {

// Events for one connection, as lines on its outbound queue.
class LineEventSink final : public store::EventSink {
 public:
  explicit LineEventSink(const std::shared_ptr<net::OutboundChannel>& channel)
      : channel_(channel), target_(channel.get()) {}
  bool push(std::string_view event_json) override {
    auto channel = channel_.lock();
    return channel && channel->push(event_line(event_json));
  }
  const void* target() const override { return target_; }

 private:
  std::weak_ptr<net::OutboundChannel> channel_;
  const void* target_;
};

RequestOrigin origin_of(net::ConnectionContext& connection) {
  const net::PeerInfo& p = connection.peer();
  return RequestOrigin{Peer{p.address, p.port, p.connection_id, p.tls_fingerprint}, {},
                       [&connection] { return std::make_shared<LineEventSink>(connection.channel()); }};
}

}  // namespace

net::LineReply LineFront::on_line(std::string_view line, net::ConnectionContext& connection) {
  Json request_id;
  RequestOrigin origin = origin_of(connection);
  auto request = parse_request(line, request_id);
  if (!request) {
    coordinator_.record_unreadable(request.error(), request_id, origin);
    return net::LineReply::now(error_response(request_id, request.error()));
  }
  if (coordinator_.is_slow(request->type)) {
    // Password hashing (bcrypt, Argon2id) is slow on purpose: it runs on the
    // server's blocking pool, so a login flood cannot stall the io threads.
    return net::LineReply::later(
        [this, req = std::move(*request), origin = std::move(origin)] { return respond(req, origin); });
  }
  return net::LineReply::now(respond(*request, origin));
}

std::string LineFront::respond(const Request& request, const RequestOrigin& origin) {
  auto result = coordinator_.handle(request, origin);
  if (!result) return error_response(request.request_id, result.error());
  return ok_response(request.request_id, *result);
}

std::string LineFront::on_oversized_line(net::ConnectionContext& connection) {
  const Error error{ErrorCode::kMessageTooLarge, "message exceeds the maximum line length"};
  coordinator_.record_unreadable(error, nullptr, origin_of(connection));
  return error_response(nullptr, error);
}

std::string LineFront::on_handler_failure(net::ConnectionContext&) {
  return error_response(nullptr, Error{ErrorCode::kInternalError, "internal error"});
}

}  // namespace lab::coordinator
