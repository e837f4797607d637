#include "security/signature_base.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "security/hex.h"

namespace lab::security {

namespace {

constexpr std::size_t kMaxComponentBytes = 256;

bool is_clean(std::string_view value) {
  return value.size() <= kMaxComponentBytes &&
         std::none_of(value.begin(), value.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u < 0x20 || u == 0x7F;
         });
}

}  // namespace

std::string content_digest(const Json& payload) {
  const std::string canonical = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(canonical.data(), canonical.size(), md.data(), &len, EVP_sha256(), nullptr);
  return "sha-256=:" + base64_encode(md.data(), len) + ":";
}

Result<std::string> signature_base(std::string_view operation, const Json& request_id, std::string_view session_id,
                                   const Json& payload, const SignatureParams& params) {
  if (!request_id.is_null() && !request_id.is_string() && !request_id.is_number_integer()) {
    return Error{ErrorCode::kInvalidField, "request_id must be a string or an integer"};
  }
  const std::string id_text = request_id.dump(-1, ' ', false, Json::error_handler_t::replace);
  for (std::string_view part : {operation, std::string_view(id_text), session_id, std::string_view(params.nonce),
                                std::string_view(params.key_id), std::string_view(params.client)}) {
    if (!is_clean(part)) {
      return Error{ErrorCode::kInvalidField, "a signed field holds a control character or is over 256 bytes"};
    }
  }
  if (params.nonce.empty() || params.key_id.empty() || params.nonce.find('"') != std::string::npos ||
      params.key_id.find('"') != std::string::npos) {
    return Error{ErrorCode::kInvalidField, "auth needs a nonce and a key id without quotes"};
  }
  std::string base;
  base.reserve(320);
  base.append("\"@operation\": ").append(operation).append("\n");
  base.append("\"@request-id\": ").append(id_text).append("\n");
  base.append("\"@session-id\": ").append(session_id).append("\n");
  base.append("\"content-digest\": ").append(content_digest(payload)).append("\n");
  base.append("\"@client\": ").append(params.client).append("\n");
  base.append(R"("@signature-params": ("@operation" "@request-id" "@session-id" "content-digest" "@client"))");
  base.append(";created=").append(std::to_string(params.created));
  base.append(";nonce=\"").append(params.nonce).append("\"");
  base.append(";keyid=\"").append(params.key_id).append("\"");
  base.append(";alg=\"").append(kSignatureAlgorithm).append("\"");
  return base;
}

}  // namespace lab::security
