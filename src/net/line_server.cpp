#include "net/line_server.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "net/line_connection.h"

namespace lab::net {

using detail::Connection;
using detail::ConnectionSet;
using asio::awaitable;
using asio::use_awaitable;

struct LineServer::Impl {
  Impl(LineServerOptions o, LineHandler& h)
      : options(std::move(o)), handler(h), acceptor(io), blocking(blocking_pool_size(options.blocking_threads)) {}

  // The same address whether a dual-stack socket reports it as IPv4 or as IPv4-mapped IPv6.
  static asio::ip::address unmapped(const asio::ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    return address;
  }

  bool trusted_proxy(const asio::ip::address& address) const {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), unmapped(address)) != trusted_proxies.end();
  }

  static std::size_t blocking_pool_size(int requested) {
    if (requested > 0) return static_cast<std::size_t>(requested);
    // One core fewer than the machine has, so a login flood leaves a core for the io threads.
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  }

  awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io),
                                                          asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        // e.g. EMFILE: keep serving the connections we have, retry shortly.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      error_code peer_ec;
      const auto remote = socket.remote_endpoint(peer_ec);
      if (peer_ec) continue;  // the peer is already gone
      error_code ignored;
      if (options.proxy_protocol && !trusted_proxy(remote.address())) {
        // Only a balancer may say who the client is; anyone else could name any address in a header of its own.
        spdlog::warn("refusing {}:{}: not a trusted PROXY protocol source", remote.address().to_string(),
                     remote.port());
        socket.close(ignored);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ignored);
      PeerInfo peer{remote.address().to_string(), remote.port(), ++next_connection_id};
      if (ssl) {
        using TlsStream = asio::ssl::stream<tcp::socket>;
        std::make_shared<Connection<TlsStream>>(TlsStream(std::move(socket), *ssl), std::move(peer), options, handler,
                                                connections, blocking)
            ->start();
      } else {
        std::make_shared<Connection<tcp::socket>>(std::move(socket), std::move(peer), options, handler, connections,
                                                  blocking)
            ->start();
      }
    }
  }

  LineServerOptions options;
  LineHandler& handler;
  ConnectionSet connections;  // before io: connections unregister while io is destroyed
  asio::io_context io;
  std::optional<asio::ssl::context> ssl;  // set when options.tls is
  std::vector<asio::ip::address> trusted_proxies;  // options.proxy_protocol's sources, parsed once
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  // After io: destroyed first, so work still queued there is dropped while
  // the connections it refers to can still be torn down on io.
  asio::thread_pool blocking;
  std::uint64_t next_connection_id = 0;
  std::uint16_t port = 0;
  std::once_flag stopped;
};

LineServer::LineServer(LineServerOptions options, LineHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

LineServer::~LineServer() { stop(); }

Status LineServer::start() {
  auto& i = *impl_;
  if (i.options.tls) {
    try {
      i.ssl.emplace(asio::ssl::context::tls_server);
      SSL_CTX_set_min_proto_version(i.ssl->native_handle(), TLS1_3_VERSION);
      i.ssl->use_certificate_chain_file(i.options.tls->certificate_chain_file);
      i.ssl->use_private_key_file(i.options.tls->private_key_file, asio::ssl::context::pem);
      if (!i.options.tls->client_ca_file.empty()) {
        i.ssl->load_verify_file(i.options.tls->client_ca_file);
        i.ssl->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
      }
    } catch (const std::exception& e) {
      return Error{ErrorCode::kInternalError, std::string("TLS set-up failed: ") + e.what()};
    }
  }
  if (i.options.proxy_protocol) {
    if (i.options.proxy_protocol->trusted_sources.empty()) {
      return Error{ErrorCode::kInvalidField, "PROXY protocol needs at least one trusted source (the balancer)"};
    }
    for (const auto& source : i.options.proxy_protocol->trusted_sources) {
      error_code bad;
      const auto trusted = asio::ip::make_address(source, bad);
      if (bad) return Error{ErrorCode::kInvalidField, "bad trusted PROXY source '" + source + "'"};
      i.trusted_proxies.push_back(Impl::unmapped(trusted));
    }
  }
  error_code ec;
  const auto address = asio::ip::make_address(i.options.bind_address, ec);
  if (ec) return Error{ErrorCode::kInvalidField, "bad bind address '" + i.options.bind_address + "'"};
  const tcp::endpoint endpoint(address, i.options.port);
  i.acceptor.open(endpoint.protocol(), ec);
  if (!ec) i.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(endpoint, ec);
  if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kInternalError,
                 "cannot listen on " + i.options.bind_address + ":" + std::to_string(i.options.port) + ": " +
                     ec.message()};
  }
  i.port = i.acceptor.local_endpoint().port();
  asio::co_spawn(i.io, [&i] { return i.accept_loop(); }, asio::detached);
  int n = i.options.threads > 0 ? i.options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  for (int t = 0; t < n; ++t) i.threads.emplace_back([&i] { i.io.run(); });
  return ok_status();
}

std::uint16_t LineServer::port() const { return impl_->port; }

bool LineServer::uses_tls() const { return impl_->options.tls.has_value(); }

std::size_t LineServer::open_connections() const { return impl_->connections.size(); }

void LineServer::stop() {
  auto& i = *impl_;
  std::call_once(i.stopped, [&i] {
    asio::post(i.io, [&i] {
      error_code ignored;
      i.acceptor.close(ignored);
    });
    for (auto& c : i.connections.snapshot()) c->request_close();
    // Give the closes a moment to run, then stop the loop.
    asio::steady_timer grace(i.io, std::chrono::milliseconds(20));
    grace.async_wait([&i](error_code) { i.io.stop(); });
    for (auto& t : i.threads) t.join();
    i.threads.clear();
    i.blocking.stop();
    i.blocking.join();
  });
}

}  // namespace lab::net
