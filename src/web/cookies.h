// Cookies: reading a request's Cookie header, and writing Set-Cookie with the attributes a session cookie needs.
// The hardened form is the default: the __Host- prefix (the browser then insists on Secure, Path=/ and no Domain,
// so no other host or path can set or shadow it), Secure, HttpOnly unless script must read it, SameSite=Strict.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lab::web {

// The cookies' names before the __Host- prefix.
inline constexpr const char* kAccessCookie = "access";
inline constexpr const char* kFingerprintCookie = "fgp";
inline constexpr const char* kRefreshCookie = "refresh";
inline constexpr const char* kCsrfCookie = "csrf";

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nullopt.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

struct CookieAttributes {
  bool hardened = true;       // false: none of the protections below (the lab's "hardened-cookie" switched off)
  bool http_only = true;      // false for a cookie page script must read (the CSRF token)
  std::chrono::seconds max_age{0};  // 0: a session cookie, gone with the browser
};

// The cookie's name as sent: "__Host-" + base when hardened, `base` alone otherwise.
std::string cookie_name(std::string_view base, bool hardened);
// "__Host-NAME=VALUE; Path=/; Secure; HttpOnly; SameSite=Strict[; Max-Age=N]" (hardened), or
// "NAME=VALUE; Path=/[; Max-Age=N]" (not).
std::string set_cookie(std::string_view base, std::string_view value, const CookieAttributes& attributes);
// The Set-Cookie that removes it (Max-Age=0), with the same name and attributes.
std::string expire_cookie(std::string_view base, const CookieAttributes& attributes);

}  // namespace lab::web
