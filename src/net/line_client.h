// LineClient: a blocking client for newline-delimited messages with a deadline
// on every operation (connect, write, read). Used by agents, attacks and tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::net {

// TLS 1.3 for a client: the server's certificate must chain to `ca_file` and name `server_name`.
struct TlsClientFiles {
  std::string ca_file;
  std::string server_name = "localhost";
  // The client's own certificate and key (PEM), for a server that asks for one (mutual TLS).
  std::string certificate_file;
  std::string private_key_file;
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // Local address to connect from, e.g. "127.0.0.2" to act as another host.
  std::optional<std::string> bind_address;
  std::chrono::milliseconds timeout{10000};
  std::size_t max_line_bytes = 64 << 20;
  std::optional<TlsClientFiles> tls;  // plain TCP when absent
};

class LineClient {
 public:
  LineClient();
  ~LineClient();
  LineClient(LineClient&&) noexcept;
  LineClient& operator=(LineClient&&) noexcept;

  Status connect(const ClientOptions& options);
  bool is_connected() const;
  // Sends `line`, adding the '\n' terminator when it is missing.
  Status send_line(std::string_view line);
  // Sends raw bytes as they are (for malformed-input tests).
  Status send_raw(std::string_view bytes);
  // Next line without its terminator. Failures give kConnectionFailed ("timed out", "connection closed: ...").
  Result<std::string> read_line();
  Result<std::string> read_line(std::chrono::milliseconds timeout);
  // Whatever bytes arrive next (at least one), for byte-stream protocols spoken over this client (Redis' RESP):
  // bytes already buffered by read_line first. Failures as read_line's.
  Result<std::string> read_some(std::chrono::milliseconds timeout);
  // True when the server closed the connection (reads return EOF).
  bool peer_closed() const;
  void close();
  std::string local_address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lab::net
