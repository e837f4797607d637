// HttpsClient: a blocking HTTP/1.1 client over TLS that trusts one CA file (the lab CA) and checks the server's
// name, with a deadline on every exchange. One keep-alive connection, reopened when the server closed it. The web
// stage's tests, attacks, worker and benchmark speak to stage 5 through it; it sends exactly the headers it is
// given (a browser's cookies and Origin are the caller's to add).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "web/http_message.h"

namespace lab::web {

struct HttpsClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string ca_file;                  // the CA the server's certificate must chain to
  std::string server_name = "localhost";  // the name the certificate must carry (SNI too)
  std::string local_address;            // bind to this address first (an attacker on 127.0.0.2), empty: any
  std::chrono::milliseconds deadline{10'000};
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpsClient {
 public:
  explicit HttpsClient(HttpsClientOptions options);
  ~HttpsClient();
  HttpsClient(HttpsClient&&) noexcept;
  HttpsClient& operator=(HttpsClient&&) noexcept;

  // One exchange; kConnectionFailed when the connection, the TLS handshake or the deadline fails.
  Result<HttpResponse> request(std::string_view method, std::string_view target, const HeaderList& headers = {},
                               std::string body = {});
  // Opens an event stream (GET `target`) and reads it until `count` events arrived or `wait` passed; returns the
  // "data:" lines' contents in order. The connection is closed afterwards.
  Result<std::vector<std::string>> read_events(std::string_view target, const HeaderList& headers, std::size_t count,
                                               std::chrono::milliseconds wait);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lab::web
