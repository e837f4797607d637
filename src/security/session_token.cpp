#include "security/session_token.h"

#include <sodium.h>

#include <cstring>

#include "security/digest.h"
#include "security/hex.h"
#include "security/sodium_ready.h"

namespace lab::security {

namespace {
constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// The value of a base64url character (the decoder has already refused any other).
int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '-' ? 62 : 63;
}
}  // namespace

Result<SessionIdHash> SessionIdHash::from_hex(std::string_view hex) {
  SessionIdHash h;
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * kSize ||
      sodium_hex2bin(h.bytes_.data(), kSize, hex.data(), hex.size(), nullptr, &decoded, &end) != 0 ||
      decoded != kSize || end != hex.data() + hex.size()) {
    return Error{ErrorCode::kInvalidField, "a session id hash is 64 hex digits"};
  }
  return h;
}

std::string SessionIdHash::to_hex() const { return hex_encode(bytes_.data(), bytes_.size()); }

std::string SessionIdHash::short_label() const { return to_hex().substr(0, 12); }

bool operator==(const SessionIdHash& a, const SessionIdHash& b) {
  return sodium_memcmp(a.bytes_.data(), b.bytes_.data(), SessionIdHash::kSize) == 0;
}

std::size_t SessionIdHashHasher::operator()(const SessionIdHash& h) const noexcept {
  std::size_t v = 0;
  std::memcpy(&v, h.bytes().data(), sizeof v);
  return v;
}

SessionToken SessionToken::generate() {
  ensure_sodium_ready();
  SessionToken t;
  randombytes_buf(t.bytes_.data(), t.bytes_.size());
  return t;
}

Result<SessionToken> SessionToken::from_wire(std::string_view text) {
  SessionToken t;
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (text.size() != kWireLength ||
      sodium_base642bin(t.bytes_.data(), t.bytes_.size(), text.data(), text.size(), nullptr, &decoded, &end,
                        kBase64Variant) != 0 ||
      decoded != kSize || end != text.data() + text.size()) {
    return Error{ErrorCode::kInvalidField, "session_id is not a session id this server issues"};
  }
  // Base64 has several spellings of the last character's unused bits; only the canonical one is the token:
  // 43 characters carry 258 bits for 256, so the last character's two lowest bits must be zero.
  if ((base64url_value(text.back()) & 0x3) != 0) {
    return Error{ErrorCode::kInvalidField, "session_id is not a session id this server issues"};
  }
  return t;
}

SessionToken::~SessionToken() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string SessionToken::to_wire() const {
  char text[sodium_base64_ENCODED_LEN(kSize, kBase64Variant)];
  sodium_bin2base64(text, sizeof text, bytes_.data(), bytes_.size(), kBase64Variant);
  return std::string(text);
}

SessionIdHash SessionToken::hash() const {
  SessionIdHash h;
  h.bytes_ = sha256(std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
  return h;
}

}  // namespace lab::security
