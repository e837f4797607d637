// CSRF tokens, OWASP's signed double-submit: RANDOM.MAC where MAC = HMAC-SHA256(server key, session ‖ RANDOM).
// The page reads it from a cookie and sends it back in a header; the server checks that header and cookie agree
// and that the MAC is its own for this session, comparing in constant time. A page on another site can make the
// browser send the cookie (unless SameSite stops it) but can neither read it nor forge a MAC for the session.
#pragma once

#include <string>
#include <string_view>

#include "security/key256.h"

namespace lab::web {

class CsrfTokens {
 public:
  explicit CsrfTokens(security::Key256 key) : key_(std::move(key)) {}
  std::string issue(std::string_view session) const;
  // `header` and `cookie` are the same token, and it was issued for `session`.
  [[nodiscard]] bool verify(std::string_view header, std::string_view cookie, std::string_view session) const;

 private:
  security::Key256 key_;
};

}  // namespace lab::web
