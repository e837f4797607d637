#include "net/line_client.h"

#include <boost/asio/ssl.hpp>
#include <openssl/ssl.h>

#include "net/net.h"

namespace lab::net {

struct LineClient::Impl {
  using TlsStream = asio::ssl::stream<tcp::socket&>;

  asio::io_context io;
  tcp::socket socket{io};
  std::unique_ptr<asio::ssl::context> ssl;  // with the stream below, when TLS is on
  std::unique_ptr<TlsStream> tls;
  std::string buffer;
  ClientOptions options;
  bool eof = false;

  // Runs one async operation to completion or until the deadline.
  template <class Start>
  error_code run(Start start, std::chrono::milliseconds timeout) {
    std::optional<error_code> result;
    start([&result](error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run_for(timeout);
    if (!result) {
      error_code ignored;
      socket.cancel(ignored);
      io.restart();
      io.run();
      return asio::error::timed_out;
    }
    return *result;
  }

  // One read on the TLS stream when there is one, else on the socket, run to completion or until the deadline:
  // its error and the bytes it reported. `start_read(stream, done)` starts it.
  template <class StartRead>
  std::pair<error_code, std::size_t> read(StartRead start_read, std::chrono::milliseconds timeout) {
    std::size_t n = 0;
    const auto ec = run(
        [&](auto handler) {
          auto done = [&n, handler](error_code e, std::size_t bytes) mutable {
            n = bytes;
            handler(e);
          };
          if (tls) {
            start_read(*tls, std::move(done));
          } else {
            start_read(socket, std::move(done));
          }
        },
        timeout);
    return {ec, n};
  }
};

LineClient::LineClient() : impl_(std::make_unique<Impl>()) {}
LineClient::~LineClient() = default;
LineClient::LineClient(LineClient&&) noexcept = default;
LineClient& LineClient::operator=(LineClient&&) noexcept = default;

Status LineClient::connect(const ClientOptions& options) {
  auto& i = *impl_;
  i.options = options;
  error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    // A host name (a compose service such as "sentinel1"): the system's resolver, first address.
    tcp::resolver resolver(i.io);
    const auto found = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || found.empty()) return Error{ErrorCode::kInvalidField, "cannot resolve host '" + options.host + "'"};
    address = found.begin()->endpoint().address();
    ec.clear();
  }
  const tcp::endpoint remote(address, options.port);
  i.socket.open(remote.protocol(), ec);
  if (!ec && options.bind_address) {
    const auto local = asio::ip::make_address(*options.bind_address, ec);
    if (!ec) i.socket.bind(tcp::endpoint(local, 0), ec);
  }
  if (!ec) {
    ec = i.run([&](auto handler) { i.socket.async_connect(remote, handler); }, options.timeout);
  }
  if (ec) {
    error_code ignored;
    i.socket.close(ignored);
    return Error{ErrorCode::kConnectionFailed,
                 "cannot connect to " + options.host + ":" + std::to_string(options.port) + ": " + ec.message()};
  }
  i.socket.set_option(tcp::no_delay(true), ec);
  if (options.tls) {
    try {
      i.ssl = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(i.ssl->native_handle(), TLS1_3_VERSION);
      i.ssl->load_verify_file(options.tls->ca_file);
      i.ssl->set_verify_mode(asio::ssl::verify_peer);
      if (!options.tls->certificate_file.empty()) {
        i.ssl->use_certificate_chain_file(options.tls->certificate_file);
        i.ssl->use_private_key_file(options.tls->private_key_file, asio::ssl::context::pem);
      }
      i.tls = std::make_unique<Impl::TlsStream>(i.socket, *i.ssl);
      i.tls->set_verify_callback(asio::ssl::host_name_verification(options.tls->server_name));
      SSL_set_tlsext_host_name(i.tls->native_handle(), options.tls->server_name.c_str());
    } catch (const std::exception& e) {
      return Error{ErrorCode::kConnectionFailed, std::string("TLS set-up failed: ") + e.what()};
    }
    ec = i.run([&](auto handler) { i.tls->async_handshake(asio::ssl::stream_base::client, handler); },
               options.timeout);
    if (ec) return Error{ErrorCode::kConnectionFailed, "TLS handshake failed: " + ec.message()};
  }
  return ok_status();
}

bool LineClient::is_connected() const { return impl_->socket.is_open() && !impl_->eof; }

Status LineClient::send_raw(std::string_view bytes) {
  auto& i = *impl_;
  const auto ec = i.run(
      [&](auto handler) {
        if (i.tls) {
          asio::async_write(*i.tls, asio::buffer(bytes), handler);
        } else {
          asio::async_write(i.socket, asio::buffer(bytes), handler);
        }
      },
      i.options.timeout);
  if (ec) return Error{ErrorCode::kConnectionFailed, "send failed: " + ec.message()};
  return ok_status();
}

Status LineClient::send_line(std::string_view line) {
  if (!line.empty() && line.back() == '\n') return send_raw(line);
  std::string framed;
  framed.reserve(line.size() + 1);
  framed.append(line);
  framed.push_back('\n');
  return send_raw(framed);
}

Result<std::string> LineClient::read_line() { return read_line(impl_->options.timeout); }

Result<std::string> LineClient::read_line(std::chrono::milliseconds timeout) {
  auto& i = *impl_;
  const auto [ec, n] = i.read(
      [&i](auto& stream, auto done) {
        asio::async_read_until(stream, asio::dynamic_buffer(i.buffer, i.options.max_line_bytes), '\n',
                               std::move(done));
      },
      timeout);
  if (ec == asio::error::timed_out) return Error{ErrorCode::kConnectionFailed, "timed out"};
  if (ec) {
    if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::ssl::error::stream_truncated) {
      i.eof = true;
    }
    return Error{ErrorCode::kConnectionFailed, "connection closed: " + ec.message()};
  }
  std::string line = i.buffer.substr(0, n - 1);
  i.buffer.erase(0, n);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::string> LineClient::read_some(std::chrono::milliseconds timeout) {
  auto& i = *impl_;
  if (!i.buffer.empty()) return std::exchange(i.buffer, std::string{});
  std::string chunk(16 * 1024, '\0');
  const auto [ec, n] = i.read(
      [&chunk](auto& stream, auto done) { stream.async_read_some(asio::buffer(chunk), std::move(done)); }, timeout);
  if (ec == asio::error::timed_out) return Error{ErrorCode::kConnectionFailed, "timed out"};
  if (ec) {
    i.eof = true;
    return Error{ErrorCode::kConnectionFailed, "connection closed: " + ec.message()};
  }
  chunk.resize(n);
  return chunk;
}

bool LineClient::peer_closed() const { return impl_->eof; }

void LineClient::close() {
  error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

std::string LineClient::local_address() const {
  error_code ec;
  auto ep = impl_->socket.local_endpoint(ec);
  return ec ? std::string{} : ep.address().to_string();
}

}  // namespace lab::net
