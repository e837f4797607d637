#include "web/cookies.h"

namespace lab::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const std::string_view pair = trim(header.substr(0, semicolon));
    header = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

std::string cookie_name(std::string_view base, bool hardened) {
  return hardened ? "__Host-" + std::string(base) : std::string(base);
}

std::string set_cookie(std::string_view base, std::string_view value, const CookieAttributes& a) {
  std::string out = cookie_name(base, a.hardened);
  out.append("=").append(value).append("; Path=/");
  if (a.hardened) {
    out.append("; Secure");
    if (a.http_only) out.append("; HttpOnly");
    out.append("; SameSite=Strict");
  } else {
    // Switched off: script may read the cookie, and a page on another site gets it sent along.
    out.append("; SameSite=None; Secure");
  }
  if (a.max_age.count() > 0) out.append("; Max-Age=").append(std::to_string(a.max_age.count()));
  return out;
}

std::string expire_cookie(std::string_view base, const CookieAttributes& a) {
  std::string out = set_cookie(base, "", CookieAttributes{a.hardened, a.http_only, std::chrono::seconds(0)});
  return out.append("; Max-Age=0");
}

}  // namespace lab::web
