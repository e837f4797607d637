#include "web/access_token.h"

#include <jwt/jwt.hpp>

#include <algorithm>
#include <limits>

#include "core/json_fields.h"
#include "security/digest.h"

namespace lab::web {
namespace {

Error refused(std::string why) { return Error{ErrorCode::kAuthRequired, "access token refused: " + std::move(why)}; }

}  // namespace

Result<AccessTokens> AccessTokens::make(const security::SigningKey& key, AccessTokenOptions options,
                                        const Clock& clock) {
  LAB_ASSIGN_OR_RETURN(auto private_pem, key.to_pem());
  LAB_ASSIGN_OR_RETURN(auto public_key, key.public_key());
  LAB_ASSIGN_OR_RETURN(auto public_pem, public_key.to_pem());
  return AccessTokens(std::move(private_pem), std::move(public_pem), std::move(options), clock);
}

Result<std::string> AccessTokens::issue(AccessClaims claims) const { return sign(std::move(claims), options_.audience); }

Result<std::string> AccessTokens::issue_for_service(AccessClaims claims, std::string_view audience) const {
  const auto& others = options_.other_audiences;
  if (audience == options_.audience || std::find(others.begin(), others.end(), audience) == others.end()) {
    return Error{ErrorCode::kInvalidField, "this issuer signs no tokens for the audience '" +
                                               std::string(audience.substr(0, 100)) + "'"};
  }
  return sign(std::move(claims), audience);
}

Result<std::string> AccessTokens::sign(AccessClaims claims, std::string_view audience) const {
  const std::int64_t now = unix_seconds(clock_->now());
  jwt::jwt_object token{jwt::params::algorithm("ES256"), jwt::params::secret(private_pem_)};
  token.add_claim("iss", options_.issuer)
      .add_claim("aud", std::string(audience))
      .add_claim("sub", claims.subject)
      .add_claim("role", std::string(to_string(claims.role)))
      .add_claim("sid", claims.session)
      .add_claim("jti", claims.token_id)
      .add_claim("fgp", claims.fingerprint)
      .add_claim("iat", now)
      .add_claim("exp", now + options_.lifetime.count());
  std::error_code ec;
  std::string text = token.signature(ec);
  if (ec) return Error{ErrorCode::kInternalError, "cannot sign an access token: " + ec.message()};
  return text;
}

Result<AccessClaims> AccessTokens::verify(std::string_view token) const {
  json_t payload;
  try {
    std::error_code ec;
    const jwt::string_view text(token.data(), token.size());
    // The library's own expiry check runs on the machine's clock; the lab's clock decides below, so the library
    // is given all the leeway it can take.
    const auto leeway = jwt::params::leeway(std::numeric_limits<std::uint32_t>::max() / 2);
    // FIX V-042: the token must name this coordinator as its audience: one signed by the same issuer for another
    // service of the deployment (and handed to it) is refused here (token-audience).
    const auto decode = [&](auto&&... checks) {
      if (options_.check_audience) {
        return jwt::decode(text, checks..., jwt::params::issuer(options_.issuer), jwt::params::aud(options_.audience),
                           leeway);
      }
      return jwt::decode(text, checks..., jwt::params::issuer(options_.issuer), leeway);
    };
    if (!options_.verify_signature) {
      // With token-signature off the token is decoded and believed: any claim can be rewritten.
      auto decoded = jwt::decode(text, jwt::params::algorithms({"ES256"}), ec, jwt::params::verify(false));
      if (ec) return refused(ec.message());
      payload = decoded.payload().create_json_obj();
    } else if (!options_.pin_algorithm) {
      // With token-algorithm-allowlist off the header picks the algorithm, as careless JWT code does:
      // "none" needs no signature, and HS256 is keyed with the public key anyone can read.
      auto decoded = decode(jwt::params::algorithms({"ES256", "HS256", "none"}), ec, jwt::params::secret(public_pem_),
                            jwt::params::verify(true));
      if (ec && ec != jwt::AlgorithmErrc::NoneAlgorithmUsed) return refused(ec.message());
      payload = decoded.payload().create_json_obj();
    } else {
      // FIX V-035: the signature is checked, with this issuer's public key: any altered byte fails here.
      // FIX V-018: so every claim the lab reads was written by this server.
      // FIX V-036: one algorithm, the one this key is for: "none", HS256 keyed with this public key and any other
      // alg fail before a claim is read.
      auto decoded = decode(jwt::params::algorithms({"ES256"}), ec, jwt::params::secret(public_pem_),
                            jwt::params::verify(true));
      if (ec) return refused(ec.message());
      if (decoded.header().algo() != jwt::algorithm::ES256) return refused("not ES256");
      payload = decoded.payload().create_json_obj();
    }
  } catch (const std::exception& e) {
    return refused(e.what());
  }
  AccessClaims claims;
  const auto text = [&](const char* name, std::string& out) {
    const auto it = payload.find(name);
    if (it == payload.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return false;
    out = it->get<std::string>();
    return true;
  };
  const auto number = [&](const char* name, std::int64_t& out) {
    const auto it = payload.find(name);
    if (it == payload.end() || !it->is_number_integer()) return false;
    out = it->get<std::int64_t>();
    return true;
  };
  std::string role;
  if (!text("sub", claims.subject) || !text("sid", claims.session) || !text("jti", claims.token_id) ||
      !text("fgp", claims.fingerprint) || !text("role", role) || !number("exp", claims.expires_s) ||
      !number("iat", claims.issued_s)) {
    return refused("a required claim is missing (sub, sid, jti, fgp, role, iat, exp)");
  }
  const auto parsed_role = role_from_string(role);
  if (!parsed_role) return refused("unknown role");
  claims.role = *parsed_role;
  // FIX V-037: a token is worth nothing past its exp, by the lab's clock (token-expiry).
  if (options_.check_expiry && unix_seconds(clock_->now()) >= claims.expires_s) return refused("expired");
  return claims;
}

Result<AccessClaims> VerifiedTokenCache::verify(std::string_view token) {
  const std::string key = security::sha256_hex(token);
  const std::int64_t now = unix_seconds(clock_.now());
  {
    std::lock_guard lock(mutex_);
    if (const auto it = claims_.find(key); it != claims_.end()) {
      if (now < it->second.expires_s || !tokens_.options().check_expiry) return it->second;
      claims_.erase(it);
      return refused("expired");
    }
  }
  LAB_ASSIGN_OR_RETURN(auto claims, tokens_.verify(token));
  std::lock_guard lock(mutex_);
  if (claims_.size() >= capacity_) {
    std::erase_if(claims_, [now](const auto& entry) { return entry.second.expires_s <= now; });
    if (claims_.size() >= capacity_) claims_.clear();
  }
  claims_.emplace(key, claims);
  return claims;
}

std::size_t VerifiedTokenCache::size() const {
  std::lock_guard lock(mutex_);
  return claims_.size();
}

}  // namespace lab::web
