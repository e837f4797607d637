#include "web/response_policy.h"

#include <algorithm>

namespace lab::web {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

}  // namespace

bool ResponsePolicy::origin_allowed(std::string_view origin) const {
  const std::string port = std::to_string(port_.load());
  if (origin == "https://localhost:" + port || origin == "https://127.0.0.1:" + port) return true;
  return std::find(options_.extra_origins.begin(), options_.extra_origins.end(), origin) !=
         options_.extra_origins.end();
}

std::string ResponsePolicy::readable_by(const HttpRequest& request) const {
  const std::string_view origin = request.header("origin");
  if (origin.empty()) return {};
  if (!options_.cors_allowlist) return std::string(origin);  // switched off: any site may read, cookies and all
  // FIX V-041: only the site's own origins may read an answer with the user's cookies; never a reflected Origin.
  return origin_allowed(origin) ? std::string(origin) : std::string();
}

void ResponsePolicy::apply(const HttpRequest& request, HttpResponse& response) const {
  if (options_.security_headers) {
    response.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // FIX V-031: no inline script runs, so peer text written as markup by mistake still cannot execute.
    response.set("Content-Security-Policy", kContentSecurityPolicy);
    // FIX V-040: no other site may frame a lab page (frame-ancestors 'none' above, and the older header here).
    response.set("X-Frame-Options", "DENY");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("Cross-Origin-Resource-Policy", "same-origin");
    response.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
  if (response.header("Cache-Control").empty()) response.set("Cache-Control", "no-store");
  // The answer differs by Origin: caches must keep them apart.
  response.add("Vary", "Origin");
  if (const std::string origin = readable_by(request); !origin.empty()) {
    response.set("Access-Control-Allow-Origin", origin);
    response.set("Access-Control-Allow-Credentials", "true");
  }
}

HttpResponse ResponsePolicy::preflight(const HttpRequest& request) const {
  HttpResponse response;
  response.status = 204;
  if (!readable_by(request).empty()) {
    response.set("Access-Control-Allow-Methods", "GET, POST, DELETE");
    response.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-CSRF-Token");
    response.set("Access-Control-Max-Age", "600");
  }
  apply(request, response);
  return response;
}

}  // namespace lab::web
