// Pieces the attacks on stage 5's HTTPS front share: a browser signed in as a lab user, a thief on another loopback
// address, a victim with a secret the thief wants, the refusal read from an error response, and the parts of a JWT.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "attacks/attack.h"
#include "web/browser_client.h"

namespace lab::attacks {

// The target's HTTPS front, trusting the lab CA and checking the certificate's name; `from` (empty: any) is the
// address the connection comes from.
web::HttpsClientOptions web_endpoint(const Target& target, const std::string& from = {});

// A browser signed in as lab user `user` with the lab's password for it; the error says which step failed.
Result<std::unique_ptr<web::BrowserClient>> signed_in_browser(const Target& target, std::string_view user,
                                                              const std::string& from = {});

// The error code of a refused response ({"error": {"code": ...}}); nullopt for a success or another body.
std::optional<ErrorCode> refusal_in(const web::HttpResponse& response);
// "401 AUTH_REQUIRED: message" (or "200"), for evidence.
std::string describe(const web::HttpResponse& response);

// Alice, the coordinator, signed in from the target's own address, with a project whose name is a secret only she
// knows: what a thief of her credentials reads.
struct WebVictim {
  std::unique_ptr<web::BrowserClient> browser;
  std::string secret;
  std::string access_token;  // as the sign-in answered it (also in her HttpOnly cookie)
};
Result<WebVictim> web_victim_with_secret(const Target& target);

// A thief holding a copy of `victim`'s cookie jar (a synced or backed-up browser profile): every cookie, the
// HttpOnly ones included; its requests come from `from` (empty: the target's other address).
web::BrowserClient thief_with_cookies_of(const Target& target, const web::BrowserClient& victim,
                                         const std::string& from = {});

// The verdict on the thief's attempt to list the victim's projects (`how` says with what): exploited when the
// answer holds the victim's secret, blocked on a refusal, no verdict otherwise.
AttackResult verdict_on_reading_secret(const Result<web::HttpResponse>& answer, const WebVictim& victim,
                                       const std::string& how);

// A JWT's three parts, decoded where they are JSON (header, payload) and kept as sent (signature).
struct JwtParts {
  Json header;
  Json payload;
  std::string signature;  // base64url, as it was
  std::string signed_part() const;  // base64url(header) + "." + base64url(payload), re-encoded from the JSON
};
Result<JwtParts> split_jwt(std::string_view token);

}  // namespace lab::attacks
