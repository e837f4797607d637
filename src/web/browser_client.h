// BrowserClient: an HttpsClient that keeps cookies as a browser does — what Set-Cookie stored is sent back on the
// next request to the same server — and sends the CSRF token from its cookie in X-CSRF-Token on state-changing
// requests, as the dashboard's script does. Tests, attacks and agents use it to be a signed-in browser; an attack
// drops what it wants to go without (the cookies, the CSRF header) or adds a foreign Origin.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "web/https_client.h"

namespace lab::web {

struct StoredCookie {
  std::string value;
  std::string attributes;  // everything after the value, as the server sent it ("Path=/; Secure; HttpOnly; ...")
};

class BrowserClient {
 public:
  explicit BrowserClient(HttpsClientOptions options) : http_(std::move(options)) {}

  // One request with the stored cookies (and, unless `extra` has one, the CSRF header for a state-changing method).
  Result<HttpResponse> request(std::string_view method, std::string_view target, std::string body = {},
                               HeaderList extra = {});
  // POST /api/session; the response's cookies are stored.
  Result<HttpResponse> sign_in(std::string_view agent_id, std::string_view password);
  Result<std::vector<std::string>> events(std::string_view target, std::size_t count, std::chrono::milliseconds wait);

  const std::map<std::string, StoredCookie>& cookies() const { return cookies_; }
  std::optional<std::string> cookie(const std::string& name) const;
  void set_cookie(const std::string& name, std::string value) { cookies_[name].value = std::move(value); }
  void forget_cookie(const std::string& name) { cookies_.erase(name); }
  // The Cookie header this client would send.
  std::string cookie_header() const;
  HttpsClient& http() { return http_; }

 private:
  void store(const HttpResponse& response);

  HttpsClient http_;
  std::map<std::string, StoredCookie> cookies_;
};

}  // namespace lab::web
