// Stage 3's signed requests: what a client adds to every request and what the
// server reads back. The auth block
//
//   "auth": {"created": 1764500000, "nonce": "<22 chars>", "keyid": "<certificate fingerprint>",
//            "client": "worker/1.0", "signature": "<base64 DER ECDSA P-256>"}
//
// signs the signature base of signature_base.h (operation, request id,
// session id, payload digest, client name and these parameters) with the
// private key of the agent's lab certificate.
#pragma once

#include <cstdint>
#include <string>

#include "core/domain.h"
#include "core/envelope.h"
#include "core/result.h"
#include "security/ecdsa.h"
#include "security/signature_base.h"

namespace lab::security {

struct AuthBlock {
  SignatureParams params;
  std::string signature;  // DER bytes (decoded from base64)
};

// A fresh nonce: 128 bits from the CSPRNG, as 22 characters of base64url.
std::string new_nonce();

// Adds the auth block to a request object being built (the login request included).
Status sign_request_ecdsa(Json& request, const SigningKey& key, std::string_view key_id, std::string_view client,
                          std::int64_t created_unix_seconds);

// The auth block of a received request: every member present with its type, the signature valid base64.
// AUTH_REQUIRED when there is none, INVALID_FIELD when it is malformed.
Result<AuthBlock> read_auth_block(const AuthFields& auth);

// The signature base of `request` with `auth`'s parameters.
Result<std::string> signature_base_of(const Request& request, const AuthBlock& auth);

}  // namespace lab::security
