// HttpsServer: HTTP/1.1 over TLS 1.2+ (Boost.Beast on Asio coroutines). It reads each request within bounds —
// header and body sizes, a deadline for the handshake and for every request, idle keep-alive connections closed —
// and refuses what breaks them with a status of its own before any handler sees it. A handler's slow requests (a
// password hash) run on a blocking pool, off the io threads; a response may be a server-sent event stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "web/http_message.h"

namespace lab::web {

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Any thread (an io thread, or the blocking pool when is_slow says so).
  virtual HttpResponse handle(const HttpRequest& request) = 0;
  virtual bool is_slow(const HttpRequest&) const { return false; }
  // The answer to a request the server refused before reading it whole (400, 413, 431): the handler adds what
  // every response carries (security headers).
  virtual HttpResponse refused(int status, std::string_view reason) = 0;
};

struct HttpsServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  int threads = 1;         // io threads
  int blocking_threads = 2;
  std::string certificate_chain_file;
  std::string private_key_file;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  // The TLS handshake, and each request from its first byte to its last, must arrive within this.
  std::chrono::milliseconds request_deadline{10'000};
  // A keep-alive connection with no request for this long is closed.
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_connections = 4096;
};

class HttpsServer {
 public:
  HttpsServer(HttpsServerOptions options, HttpHandler& handler);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  Status start();
  std::uint16_t port() const;
  void stop();
  // Connections open now (event streams included).
  std::size_t connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lab::web
