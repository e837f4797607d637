#include "web/https_client.h"

#include <optional>

#include "web/beast.h"

namespace lab::web {
namespace {

Error failed(std::string_view what, const error_code& ec) {
  return Error{ErrorCode::kConnectionFailed, std::string(what) + ": " + ec.message()};
}

HttpResponse from_beast(const http::response<http::string_body>& in) {
  HttpResponse out;
  out.status = static_cast<int>(in.result_int());
  for (const auto& field : in) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = in.body();
  return out;
}

}  // namespace

struct HttpsClient::Impl {
  explicit Impl(HttpsClientOptions o) : options(std::move(o)), tls(ssl::context::tls_client) {}

  HttpsClientOptions options;
  asio::io_context io;
  ssl::context tls;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  bool configured = false;

  // Runs the asynchronous step `start` (which takes a completion handler) to its end, within the deadline.
  template <class Start>
  error_code run(Start start) {
    error_code result = asio::error::would_block;
    beast::get_lowest_layer(*stream).expires_after(options.deadline);
    start([&result](error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  Status connect() {
    if (stream) return ok_status();
    try {
      if (!configured) {
        tls.set_verify_mode(ssl::verify_peer);
        tls.load_verify_file(options.ca_file);
        SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
        configured = true;
      }
    } catch (const std::exception& e) {
      return Error{ErrorCode::kConnectionFailed, "cannot load the CA file " + options.ca_file + ": " + e.what()};
    }
    stream.emplace(io, tls);
    buffer.clear();
    error_code ec;
    auto& socket = beast::get_lowest_layer(*stream).socket();
    const tcp::endpoint server(asio::ip::make_address(options.host, ec), options.port);
    if (ec) return failed("bad server address " + options.host, ec);
    socket.open(server.protocol(), ec);
    if (!options.local_address.empty() && !ec) {
      socket.bind(tcp::endpoint(asio::ip::make_address(options.local_address, ec), 0), ec);
    }
    if (ec) return reset(failed("cannot bind " + options.local_address, ec));
    SSL_set_tlsext_host_name(stream->native_handle(), options.server_name.c_str());
    stream->set_verify_callback(ssl::host_name_verification(options.server_name));
    ec = run([&](auto handler) { beast::get_lowest_layer(*stream).async_connect(server, handler); });
    if (ec) return reset(failed("cannot connect to " + options.host + ":" + std::to_string(options.port), ec));
    ec = run([&](auto handler) { stream->async_handshake(ssl::stream_base::client, handler); });
    if (ec) return reset(failed("TLS handshake with " + options.host + ":" + std::to_string(options.port), ec));
    return ok_status();
  }

  Error reset(Error error) {
    stream.reset();
    return error;
  }

  http::request<http::string_body> make(std::string_view method, std::string_view target, const HeaderList& headers,
                                        std::string body) {
    http::request<http::string_body> req{http::string_to_verb(beast::string_view(method.data(), method.size())),
                                         beast::string_view(target.data(), target.size()), 11};
    req.set(http::field::host, options.server_name + ":" + std::to_string(options.port));
    for (const auto& [name, value] : headers) req.insert(name, value);
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }
};

HttpsClient::HttpsClient(HttpsClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;

Result<HttpResponse> HttpsClient::request(std::string_view method, std::string_view target, const HeaderList& headers,
                                          std::string body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl_->stream.has_value();
    if (auto s = impl_->connect(); !s) return s.error();
    auto req = impl_->make(method, target, headers, body);
    error_code ec = impl_->run([&](auto handler) { http::async_write(*impl_->stream, req, handler); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (!ec) {
      ec = impl_->run([&](auto handler) { http::async_read(*impl_->stream, impl_->buffer, parser, handler); });
    }
    if (ec) {
      impl_->stream.reset();
      // A kept-alive connection the server had closed meanwhile: once more on a new one.
      if (reused && ec != beast::error::timeout) continue;
      return failed(std::string(method) + " " + std::string(target), ec);
    }
    HttpResponse response = from_beast(parser.get());
    if (!parser.get().keep_alive()) impl_->stream.reset();
    return response;
  }
  return Error{ErrorCode::kConnectionFailed, "the server closed the connection twice"};
}

Result<std::vector<std::string>> HttpsClient::read_events(std::string_view target, const HeaderList& headers,
                                                          std::size_t count, std::chrono::milliseconds wait) {
  close();
  if (auto s = impl_->connect(); !s) return s.error();
  auto req = impl_->make("GET", target, headers, {});
  if (auto ec = impl_->run([&](auto handler) { http::async_write(*impl_->stream, req, handler); })) {
    impl_->stream.reset();
    return failed("GET " + std::string(target), ec);
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  const auto saved = impl_->options.deadline;
  impl_->options.deadline = wait;
  error_code ec = impl_->run([&](auto handler) { http::async_read_header(*impl_->stream, impl_->buffer, parser, handler); });
  if (ec) {
    impl_->options.deadline = saved;
    impl_->stream.reset();
    return failed("reading the event stream's header", ec);
  }
  if (parser.get().result_int() != 200) {
    ec = impl_->run([&](auto handler) { http::async_read(*impl_->stream, impl_->buffer, parser, handler); });
    impl_->options.deadline = saved;
    impl_->stream.reset();
    return Error{ErrorCode::kPermissionDenied, "the event stream was refused with status " +
                                                   std::to_string(parser.get().result_int()) + ": " +
                                                   parser.get().body()};
  }
  std::vector<std::string> events;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::size_t scanned = 0;
  while (events.size() < count && !parser.is_done()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    impl_->options.deadline = left;
    ec = impl_->run([&](auto handler) { http::async_read_some(*impl_->stream, impl_->buffer, parser, handler); });
    if (ec) break;
    const std::string& body = parser.get().body();
    for (auto end = body.find("\n\n", scanned); end != std::string::npos; end = body.find("\n\n", scanned)) {
      const std::string_view event(body.data() + scanned, end - scanned);
      scanned = end + 2;
      for (std::size_t at = 0; at < event.size();) {
        auto line_end = event.find('\n', at);
        if (line_end == std::string_view::npos) line_end = event.size();
        const std::string_view line = event.substr(at, line_end - at);
        if (line.starts_with("data: ")) events.emplace_back(line.substr(6));
        at = line_end + 1;
      }
    }
  }
  impl_->options.deadline = saved;
  impl_->stream.reset();
  return events;
}

void HttpsClient::close() { impl_->stream.reset(); }

}  // namespace lab::web
