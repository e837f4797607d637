// TcpRelay: a man in the middle on loopback. Listens on an address of its own,
// forwards every accepted connection to a target and records the bytes that
// pass in both directions (bounded). Runs on one thread of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "net/line_client.h"

namespace lab::attacks {

class TcpRelay {
 public:
  // Listens on `listen_address` (ephemeral port) and forwards to `target`.
  static Result<std::unique_ptr<TcpRelay>> start(const std::string& listen_address, const net::ClientOptions& target,
                                                 std::size_t max_recorded = 4 << 20);
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  // Where clients connect to be relayed.
  net::ClientOptions endpoint() const;
  // Bytes recorded so far, client to server and server to client.
  std::string client_to_server() const;
  std::string server_to_client() const;
  // Closes the listener and every relayed connection; idempotent.
  void stop();

 private:
  struct Impl;
  explicit TcpRelay(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lab::attacks
