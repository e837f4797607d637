// The signature base of a stage 3 request, modelled on RFC 9421 (HTTP Message
// Signatures): one line per covered component, `"name": value`, ending with
// `"@signature-params"`, which repeats the component list and carries the
// signature's parameters (created, nonce, key id, algorithm). The signer signs
// these bytes; the verifier rebuilds them from the request it received, so
// the two agree exactly when every covered part arrived unchanged.
//
// Covered: the operation, the request id, the session id, the payload (as a
// SHA-256 content digest of its canonical JSON), the client name, and the
// parameters. A value holding a line break or another control character is
// refused rather than escaped, so two different requests can never share a
// base.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"

namespace lab::security {

inline constexpr std::string_view kSignatureAlgorithm = "ecdsa-p256-sha256";

struct SignatureParams {
  std::int64_t created = 0;  // unix seconds, set by the signer
  std::string nonce;         // unique per request and key (the server remembers it for 5 minutes)
  std::string key_id;        // the signer's certificate fingerprint (lower-case hex SHA-256)
  std::string client;        // the client's declared name, bound to the session at login
};

// `sha-256=:<base64>:` of the payload's canonical JSON (sorted keys, no whitespace), as in RFC 9530.
std::string content_digest(const Json& payload);

// The bytes to sign or verify. INVALID_FIELD when a component holds a control character or is too long.
Result<std::string> signature_base(std::string_view operation, const Json& request_id, std::string_view session_id,
                                   const Json& payload, const SignatureParams& params);

}  // namespace lab::security
