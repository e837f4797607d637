#include "web/https_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "web/beast.h"
#include "web/event_stream.h"

namespace lab::web {
namespace {

using asio::awaitable;
using asio::use_awaitable;
using Stream = beast::ssl_stream<beast::tcp_stream>;

// After a refused request, at most this much of what the client still sends is read and dropped (within 1 s).
constexpr std::size_t kMaxDiscardedBytes = 1 << 20;

// Modern AEAD suites with forward secrecy for TLS 1.2; TLS 1.3's own suites are all of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

HttpRequest to_request(const http::request<http::string_body>& in, const tcp::endpoint& peer, std::uint64_t id) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  const std::string_view target(in.target().data(), in.target().size());
  const auto q = target.find('?');
  out.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string value(field.value());
    const bool is_cookie = name == "cookie";
    auto [it, fresh] = out.headers.emplace(std::move(name), value);
    if (!fresh) it->second.append(is_cookie ? "; " : ", ").append(value);
  }
  out.body = in.body();
  out.peer_address = peer.address().to_string();
  out.peer_port = peer.port();
  out.connection_id = id;
  return out;
}

http::response<http::string_body> to_beast(HttpResponse& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  for (auto& [name, value] : in.headers) out.insert(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct HttpsServer::Impl {
  Impl(HttpsServerOptions o, HttpHandler& h)
      : options(std::move(o)), handler(h), tls(ssl::context::tls_server), blocking(options.blocking_threads) {}

  HttpsServerOptions options;
  HttpHandler& handler;
  ssl::context tls;
  asio::io_context io;
  asio::thread_pool blocking;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<bool> stopped{false};

  Status configure_tls() {
    try {
      // TLS 1.2 and 1.3 only, AEAD suites with forward secrecy, the server's order, no compression, no renegotiation.
      // FIX V-022: no request crosses the network outside TLS, so none can be captured to be replayed.
      tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                      SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
      SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
      if (SSL_CTX_set_cipher_list(tls.native_handle(), kTls12Ciphers) != 1) {
        return Error{ErrorCode::kInternalError, "the TLS 1.2 cipher list was refused"};
      }
      tls.use_certificate_chain_file(options.certificate_chain_file);
      tls.use_private_key_file(options.private_key_file, ssl::context::pem);
    } catch (const std::exception& e) {
      return Error{ErrorCode::kInternalError, "cannot load the server's certificate or key (" +
                                                  options.certificate_chain_file + "): " + e.what()};
    }
    return ok_status();
  }

  awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopped || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      if (connections.load() >= options.max_connections) continue;  // closed at once: the socket goes out of scope
      asio::co_spawn(io, serve(Stream(beast::tcp_stream(std::move(socket)), tls)), asio::detached);
    }
  }

  // Waits until `stream` has events or has closed; `wake` is poked from whichever thread pushed.
  awaitable<bool> write_events(Stream& stream, EventStream& events) {
    auto executor = co_await asio::this_coro::executor;
    auto wake = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    std::weak_ptr<asio::steady_timer> weak = wake;
    events.on_ready([weak, executor] {
      asio::post(executor, [weak] {
        if (auto timer = weak.lock()) timer->cancel();
      });
    });
    for (;;) {
      for (auto& chunk : events.take()) {
        beast::get_lowest_layer(stream).expires_after(options.request_deadline);
        error_code ec;
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(chunk)),
                                   asio::redirect_error(use_awaitable, ec));
        if (ec) {
          events.close();
          co_return false;
        }
      }
      if (events.closed() || stopped) break;
      beast::get_lowest_layer(stream).expires_never();
      error_code ignored;
      wake->expires_at(asio::steady_timer::time_point::max());
      co_await wake->async_wait(asio::redirect_error(use_awaitable, ignored));
    }
    events.on_ready({});
    error_code ec;
    beast::get_lowest_layer(stream).expires_after(options.request_deadline);
    co_await asio::async_write(stream, http::make_chunk_last(), asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  }

  // Reads and drops what the client still sends, for a second at most; how that ended.
  awaitable<error_code> discard_input(Stream& stream) {
    std::array<char, 16 * 1024> scratch;
    std::size_t discarded = 0;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
    error_code ec;
    while (discarded < kMaxDiscardedBytes && !ec) {
      discarded += co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(use_awaitable, ec));
    }
    co_return ec;
  }

  awaitable<void> serve(Stream stream) {
    ++connections;
    const std::uint64_t id = next_id++;
    error_code ec;
    const tcp::endpoint peer = beast::get_lowest_layer(stream).socket().remote_endpoint(ec);
    beast::get_lowest_layer(stream).expires_after(options.request_deadline);
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
    beast::flat_buffer buffer;
    bool open = !ec;
    while (open && !stopped) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      // Idle until the first byte, then the whole request within the deadline.
      beast::get_lowest_layer(stream).expires_after(options.idle_timeout);
      co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      if (!ec && !parser.is_done()) {
        beast::get_lowest_layer(stream).expires_after(options.request_deadline);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
      }
      if (ec) {
        int status = 0;
        if (ec == http::error::header_limit) status = 431;
        else if (ec == http::error::body_limit) status = 413;
        else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message)
          status = 400;  // not HTTP: a malformed request line, header or chunk
        if (status != 0) {
          HttpResponse refusal = handler.refused(status, ec.message());
          auto out = to_beast(refusal, 11, false);
          beast::get_lowest_layer(stream).expires_after(options.request_deadline);
          co_await http::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
          // The client may still be sending what was refused: read and drop a bounded amount first, so that
          // closing does not reset the connection before the client has read the answer.
          if (!ec) ec = co_await discard_input(stream);
        }
        break;
      }
      HttpRequest request = to_request(parser.get(), peer, id);
      const unsigned version = parser.get().version();
      const bool keep_alive = parser.get().keep_alive();
      HttpResponse response;
      if (handler.is_slow(request)) {
        response = co_await asio::co_spawn(
            blocking, [this, &request]() -> awaitable<HttpResponse> { co_return handle(request); }, use_awaitable);
      } else {
        response = handle(request);
      }
      if (response.stream) {
        http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
        for (auto& [name, value] : response.headers) head.insert(name, value);
        head.chunked(true);
        head.keep_alive(false);
        http::response_serializer<http::empty_body> serializer{head};
        beast::get_lowest_layer(stream).expires_after(options.request_deadline);
        co_await http::async_write_header(stream, serializer, asio::redirect_error(use_awaitable, ec));
        if (!ec) co_await write_events(stream, *response.stream);
        response.stream->close();
        break;
      }
      auto out = to_beast(response, version, keep_alive);
      beast::get_lowest_layer(stream).expires_after(options.request_deadline);
      co_await http::async_write(stream, out, asio::redirect_error(use_awaitable, ec));
      open = !ec && keep_alive;
    }
    // A TLS close_notify only where the exchange ended cleanly. After a timeout or a failed transfer the socket is
    // closed already, and Beast's stream may still hold that timeout for its next operation (a debug build asserts
    // on it): there is no one left to say goodbye to.
    if ((!ec || ec == http::error::end_of_stream) && beast::get_lowest_layer(stream).socket().is_open()) {
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
      co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
    }
    --connections;
  }

  HttpResponse handle(const HttpRequest& request) {
    try {
      return handler.handle(request);
    } catch (const std::exception& e) {
      spdlog::error("web handler failed for {} {}: {}", request.method, request.path, e.what());
      return handler.refused(500, "internal error");
    }
  }
};

HttpsServer::HttpsServer(HttpsServerOptions options, HttpHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpsServer::~HttpsServer() { stop(); }

Status HttpsServer::start() {
  if (auto s = impl_->configure_tls(); !s) return s;
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(impl_->options.bind_address), impl_->options.port);
    impl_->acceptor.emplace(impl_->io);
    impl_->acceptor->open(endpoint.protocol());
    impl_->acceptor->set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor->bind(endpoint);
    impl_->acceptor->listen(asio::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kConnectionFailed, "cannot listen on " + impl_->options.bind_address + ":" +
                                                   std::to_string(impl_->options.port) + ": " + e.what()};
  }
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  const int n = impl_->options.threads > 0 ? impl_->options.threads
                                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  return ok_status();
}

std::uint16_t HttpsServer::port() const {
  error_code ec;
  return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

void HttpsServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->blocking.join();
}

std::size_t HttpsServer::connection_count() const { return impl_->connections.load(); }

}  // namespace lab::web
