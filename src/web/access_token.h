// Access tokens: short-lived JWTs signed with ES256 (ECDSA P-256), verified by cpp-jwt with exactly one algorithm
// allowed, so "alg": "none", an HS256 token keyed with the public key (algorithm confusion) and any other
// algorithm are refused before a claim is read. Every claim the lab relies on is required: exp (checked against
// the lab's clock), iss, aud, sub, jti, sid (the server-side session), role, and fgp — SHA-256 of the random value
// in the hardened fingerprint cookie, so a token that leaks without its cookie is worth nothing.
//
// Verifying costs a PEM parse and an ECDSA verification (~3,000 per second); VerifiedTokenCache keeps what a
// valid token said, keyed by its SHA-256, until it expires.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/domain.h"
#include "core/result.h"
#include "security/ecdsa.h"

namespace lab::web {

struct AccessClaims {
  std::string subject;      // the agent
  Role role = Role::kObserver;
  std::string session;      // the server-side session's handle
  std::string token_id;     // jti
  std::string fingerprint;  // hex SHA-256 of the fingerprint cookie's value
  std::int64_t expires_s = 0;
  std::int64_t issued_s = 0;
};

// The audience every token this coordinator accepts names (`aud`).
inline constexpr std::string_view kCoordinatorAudience = "lab-coordinator";

struct AccessTokenOptions {
  std::string issuer = "https://localhost/lab";
  std::string audience = std::string(kCoordinatorAudience);
  // The other services of the deployment this issuer also signs tokens for (`lab serve --token-audience`): a
  // signed-in agent may ask for a token to hand to one of them. Same key, same claims; only `aud` differs.
  std::vector<std::string> other_audiences;
  std::chrono::seconds lifetime{600};
  // Checks a lab stage switches off (--disable-control) to show what each one stops; all on by default.
  bool verify_signature = true;  // token-signature: off, a token is decoded and believed unverified
  bool pin_algorithm = true;     // token-algorithm-allowlist: off, the header's alg is trusted ("none", HS256)
  bool check_expiry = true;      // token-expiry: off, exp is read but never compared with the clock
  bool check_audience = true;    // token-audience: off, a token signed for another service is taken as one for this
};

class AccessTokens {
 public:
  // `key` signs; its public half verifies.
  static Result<AccessTokens> make(const security::SigningKey& key, AccessTokenOptions options, const Clock& clock);

  // A token for `claims` (its exp and iat are set here from the clock and the lifetime).
  Result<std::string> issue(AccessClaims claims) const;
  // A token for `claims` meant for another service of the deployment, one of `other_audiences` (kInvalidField
  // for any other audience, this coordinator's own included: a token for here is issued only with its cookie).
  Result<std::string> issue_for_service(AccessClaims claims, std::string_view audience) const;
  // The claims of a token this issuer signed, for this audience, not expired; kAuthRequired otherwise (the reason
  // is in the message, never which part was wrong to a caller who cannot see it).
  Result<AccessClaims> verify(std::string_view token) const;

  const AccessTokenOptions& options() const { return options_; }
  // The public key, PEM: what an A2A client or an attack may know.
  const std::string& public_key_pem() const { return public_pem_; }

 private:
  AccessTokens(std::string private_pem, std::string public_pem, AccessTokenOptions options, const Clock& clock)
      : private_pem_(std::move(private_pem)), public_pem_(std::move(public_pem)), options_(std::move(options)),
        clock_(&clock) {}
  Result<std::string> sign(AccessClaims claims, std::string_view audience) const;
  std::string private_pem_;
  std::string public_pem_;
  AccessTokenOptions options_;
  const Clock* clock_;
};

// What verified tokens said, by SHA-256 of the token, until they expire; at most `capacity` (then the expired go
// first, and a full cache of live tokens is cleared: verifying again is only slower, never wrong).
class VerifiedTokenCache {
 public:
  VerifiedTokenCache(const AccessTokens& tokens, const Clock& clock, std::size_t capacity = 100'000)
      : tokens_(tokens), clock_(clock), capacity_(capacity) {}
  Result<AccessClaims> verify(std::string_view token);
  std::size_t size() const;

 private:
  const AccessTokens& tokens_;
  const Clock& clock_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, AccessClaims> claims_;
};

}  // namespace lab::web
