#include "web/csrf_token.h"

#include "security/hmac.h"

namespace lab::web {
namespace {

std::string signed_part(std::string_view session, std::string_view random) {
  std::string message(session);
  return message.append("!").append(random);
}

}  // namespace

std::string CsrfTokens::issue(std::string_view session) const {
  const std::string random = security::random_hex(16);
  return random + "." + security::hmac_sha256_hex(key_, signed_part(session, random));
}

bool CsrfTokens::verify(std::string_view header, std::string_view cookie, std::string_view session) const {
  if (header.empty() || !security::constant_time_equal(header, cookie)) return false;
  const auto dot = header.find('.');
  if (dot == std::string_view::npos) return false;
  return security::hmac_sha256_hex_matches(key_, signed_part(session, header.substr(0, dot)), header.substr(dot + 1));
}

}  // namespace lab::web
