// What every response of the web stage carries, and who may read it from another origin.
//
// Security headers (the "security-headers" control): HSTS; a Content-Security-Policy that allows only this
// origin's own scripts, styles and connections — no inline script, no eval, no plugin — and frame-ancestors
// 'none' (with X-Frame-Options for older browsers), so no other site can frame the dashboard; nosniff; no
// Referer to other sites; a cross-origin opener policy; no caching of API answers.
//
// CORS (the "cors-allowlist" control): only origins on the allowlist get Access-Control-Allow-Origin (echoed,
// never "*", with Vary: Origin), so a page elsewhere cannot read what the API answers to the browser's cookies.
// Switched off, the policy does what a hurried configuration does: it echoes any Origin with credentials allowed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "web/http_message.h"

namespace lab::web {

struct ResponsePolicyOptions {
  bool security_headers = true;
  bool cors_allowlist = true;
  // Origins allowed besides the server's own (https://localhost:PORT and https://127.0.0.1:PORT).
  std::vector<std::string> extra_origins;
};

class ResponsePolicy {
 public:
  explicit ResponsePolicy(ResponsePolicyOptions options) : options_(std::move(options)) {}

  // The port the server listens on, once known: its own origins follow from it.
  void set_port(std::uint16_t port) { port_ = port; }
  // The server's own origins and the allowlisted ones.
  bool origin_allowed(std::string_view origin) const;
  // Adds the security headers and the CORS answer for `request` to `response`.
  void apply(const HttpRequest& request, HttpResponse& response) const;
  // The answer to a CORS preflight (OPTIONS with Access-Control-Request-Method).
  HttpResponse preflight(const HttpRequest& request) const;

  const ResponsePolicyOptions& options() const { return options_; }

 private:
  // The Origin this response may be read from, or empty.
  std::string readable_by(const HttpRequest& request) const;

  ResponsePolicyOptions options_;
  std::atomic<std::uint16_t> port_{0};
};

}  // namespace lab::web
