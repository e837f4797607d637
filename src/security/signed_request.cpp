#include "security/signed_request.h"

#include <sodium.h>

#include "security/bytes.h"
#include "security/hex.h"
#include "security/sodium_ready.h"

namespace lab::security {

namespace {

constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kMaxSignatureBytes = 80;  // a P-256 DER signature is at most 72 bytes

Result<std::string> unbase64(const std::string& text) {
  auto bytes = base64_decode(text);
  if (!bytes || bytes->size() > kMaxSignatureBytes) {
    return Error{ErrorCode::kInvalidField, "auth.signature is not base64 of a DER signature"};
  }
  return bytes;
}

}  // namespace

std::string new_nonce() {
  ensure_sodium_ready();
  unsigned char bytes[kNonceBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kNonceBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

Status sign_request_ecdsa(Json& request, const SigningKey& key, std::string_view key_id, std::string_view client,
                          std::int64_t created_unix_seconds) {
  Request view;
  view.type = request.value("type", "");
  view.request_id = request.contains("request_id") ? request["request_id"] : Json();
  if (auto it = request.find("session_id"); it != request.end() && it->is_string()) view.session_id = *it;
  if (auto it = request.find("payload"); it != request.end() && it->is_object()) view.payload = *it;
  AuthBlock auth{{created_unix_seconds, new_nonce(), std::string(key_id), std::string(client)}, {}};
  auto base = signature_base_of(view, auth);
  if (!base) return base.error();
  auto signature = key.sign(*base);
  if (!signature) return signature.error();
  request["auth"] = Json{{"created", auth.params.created},
                         {"nonce", auth.params.nonce},
                         {"keyid", auth.params.key_id},
                         {"client", auth.params.client},
                         {"signature", base64_encode(bytes_of(*signature), signature->size())}};
  return ok_status();
}

Result<AuthBlock> read_auth_block(const AuthFields& auth) {
  if (auth.absent()) return Error{ErrorCode::kAuthRequired, "stage 3 requests carry a signed auth block"};
  const auto created = auth.integer("created");
  const std::string* nonce = auth.text("nonce");
  const std::string* key_id = auth.text("keyid");
  const std::string* client = auth.text("client");
  const std::string* signature = auth.text("signature");
  if (!created || !nonce || !key_id || !client || !signature) {
    return Error{ErrorCode::kInvalidField,
                 "auth needs created (integer), nonce, keyid, client and signature (strings)"};
  }
  auto der = unbase64(*signature);
  if (!der) return der.error();
  return AuthBlock{{*created, *nonce, *key_id, *client}, std::move(*der)};
}

Result<std::string> signature_base_of(const Request& request, const AuthBlock& auth) {
  return signature_base(request.type, request.request_id, request.session_id.value_or(""), request.payload,
                        auth.params);
}

}  // namespace lab::security
