#include "sse_subscribers.h"

#include <sys/resource.h>

#include <atomic>
#include <thread>

#include "web/beast.h"

namespace lab::bench {
namespace {

using namespace web;  // asio, beast, http, ssl, tcp, error_code
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

struct Shared {
  const SubscriberTarget& target;
  ssl::context& tls;
  std::atomic<int> held{0};
  std::atomic<int> received{0};
  Clock::time_point deadline;
  std::atomic<long long> last_receipt_ns{0};
};

asio::awaitable<void> subscribe(Shared& shared) {
  auto executor = co_await asio::this_coro::executor;
  beast::ssl_stream<beast::tcp_stream> stream(executor, shared.tls);
  error_code ec;
  const tcp::endpoint server(asio::ip::make_address(shared.target.host), shared.target.port);
  beast::get_lowest_layer(stream).expires_at(shared.deadline);
  co_await beast::get_lowest_layer(stream).async_connect(server, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;
  http::request<http::empty_body> request{http::verb::get, shared.target.path, 11};
  request.set(http::field::host, "localhost");
  request.set(http::field::cookie, shared.target.cookie_header);
  request.set(http::field::accept, "text/event-stream");
  co_await http::async_write(stream, request, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
  if (ec || parser.get().result_int() != 200) co_return;
  bool counted = false;
  while (!parser.is_done()) {
    co_await http::async_read_some(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    const std::string& body = parser.get().body();
    if (!counted && body.find("event: snapshot") != std::string::npos) {
      counted = true;
      ++shared.held;
    }
    if (counted && body.find("event: task") != std::string::npos) {
      ++shared.received;
      shared.last_receipt_ns = Clock::now().time_since_epoch().count();
      co_return;
    }
  }
}

}  // namespace

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

Result<SubscriberRun> hold_subscribers(const SubscriberTarget& target, int count,
                                       const std::function<Status()>& cause_event, std::chrono::seconds wait) {
  ssl::context tls(ssl::context::tls_client);
  try {
    tls.set_verify_mode(ssl::verify_peer);
    tls.load_verify_file(target.ca_file);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternalError, std::string("cannot load the lab CA: ") + e.what()};
  }
  asio::io_context io;
  Shared shared{target, tls};
  const auto start = Clock::now();
  shared.deadline = start + wait + wait;  // opening, then the event: a stream that outlives both is abandoned
  for (int i = 0; i < count; ++i) asio::co_spawn(io, subscribe(shared), asio::detached);
  std::thread runner([&io] { io.run(); });
  SubscriberRun run;
  run.requested = count;
  // Opening: until every stream has its snapshot, or the opening time ran out.
  while (shared.held.load() < count && Clock::now() < start + wait) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  run.open_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.held = shared.held.load();
  const auto caused = Clock::now();
  Status event = cause_event();
  while (event && shared.received.load() < run.held && Clock::now() < caused + wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.received = shared.received.load();
  if (run.received > 0) {
    run.deliver_seconds =
        std::chrono::duration<double>(Clock::time_point(Clock::duration(shared.last_receipt_ns.load())) - caused).count();
  }
  io.stop();
  runner.join();
  if (!event) return event.error();
  return run;
}

}  // namespace lab::bench
