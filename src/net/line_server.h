// LineServer: a TCP server for newline-delimited messages on Boost.Asio
// C++20 coroutines, protocol-agnostic. One coroutine reads and one writes per
// connection, both on the connection's strand; responses and pushed messages
// share one bounded outbound queue (reading pauses while it is full).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace lab::net {

// TLS 1.3 for a server (PEM files).
struct TlsServerFiles {
  std::string certificate_chain_file;
  std::string private_key_file;
  // When set, mutual TLS: a client must present a certificate that chains to
  // this CA, and its fingerprint reaches the handler (PeerInfo::tls_fingerprint).
  std::string client_ca_file;
};

// A TCP balancer in front of the server (stage 4: HAProxy, `send-proxy-v2`, TLS passed through): every
// connection starts with a PROXY protocol v2 header (net/proxy_protocol.h) naming the real client, read before
// TLS. Only the balancers may send one: a connection from any other address is refused, or a client could name
// whatever address it likes.
struct ProxyProtocolOptions {
  std::vector<std::string> trusted_sources;         // the balancers' addresses, e.g. "10.0.0.5"; at least one
  std::chrono::milliseconds header_deadline{3000};  // the whole header within this, or the connection closes
};

struct LineServerOptions {
  std::string bind_address = "127.0.0.1";  // loopback unless the operator asks otherwise
  std::uint16_t port = 0;                   // 0 picks an ephemeral port (see LineServer::port())
  std::size_t max_line_bytes = 1 << 20;     // 0 means no limit at all
  int threads = 0;                          // io threads; 0 = hardware concurrency
  std::size_t outbound_high_water_bytes = 4 << 20;   // pause reading above this backlog
  std::size_t outbound_limit_bytes = 32 << 20;       // drop a consumer this far behind
  std::chrono::milliseconds idle_timeout{0};          // close silent connections; 0 = never
  int blocking_threads = 0;                           // pool for LineReply::later; 0 = cores - 1 (at least 1)
  std::optional<TlsServerFiles> tls;                  // plain TCP when absent
  // When set, PeerInfo's address and port are the header's source (PROXY) or the socket's (LOCAL: a health check).
  std::optional<ProxyProtocolOptions> proxy_protocol;  // no header read when absent
};

struct PeerInfo {
  std::string address;  // e.g. "127.0.0.2"
  std::uint16_t port = 0;
  std::uint64_t connection_id = 0;
  std::string tls_fingerprint;  // lower-case hex SHA-256 of the client certificate (DER); empty without one
  std::string to_string() const { return address + ":" + std::to_string(port); }
};

// Messages pushed to a connection outside request/response (event streams).
class OutboundChannel {
 public:
  virtual ~OutboundChannel() = default;
  // Queues one complete line (with '\n'); false once the connection is gone.
  virtual bool push(std::string line) = 0;
};

class ConnectionContext {
 public:
  virtual ~ConnectionContext() = default;
  virtual const PeerInfo& peer() const = 0;
  virtual std::shared_ptr<OutboundChannel> channel() = 0;
};

// What a handler answers to one line: the response now, or slow work (a
// password hash) to run on the server's blocking pool, off the io threads,
// whose result is the response. Either way the connection reads its next line
// only after this one is answered, so responses keep request order.
struct LineReply {
  std::string line;                      // the response, when `offload` is empty
  std::function<std::string()> offload;  // runs on the blocking pool; may throw

  static LineReply now(std::string line) { return LineReply{std::move(line), nullptr}; }
  static LineReply later(std::function<std::string()> work) { return LineReply{{}, std::move(work)}; }
};

class LineHandler {
 public:
  virtual ~LineHandler() = default;
  // Answers one line. Runs on an io thread; may be called concurrently for
  // different connections. Must not block: slow work goes in LineReply::later.
  virtual LineReply on_line(std::string_view line, ConnectionContext& connection) = 0;
  // Response for a line longer than max_line_bytes; the connection is closed after it.
  virtual std::string on_oversized_line(ConnectionContext& connection) = 0;
  // Response when on_line threw; the connection stays open.
  virtual std::string on_handler_failure(ConnectionContext& connection) = 0;
  virtual void on_close(const PeerInfo& /*peer*/) {}
};

class LineServer {
 public:
  LineServer(LineServerOptions options, LineHandler& handler);
  ~LineServer();
  LineServer(const LineServer&) = delete;
  LineServer& operator=(const LineServer&) = delete;

  // Binds, listens and starts the io threads.
  Status start();
  std::uint16_t port() const;
  // True when connections speak TLS (LineServerOptions::tls was set).
  bool uses_tls() const;
  std::size_t open_connections() const;
  // Stops accepting, closes every connection and joins the io threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lab::net
