#include "security/sealed_record.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "security/bytes.h"

namespace lab::security {

namespace {

constexpr std::size_t kKeyIdSize = 4;
constexpr std::size_t kIvOffset = 1 + kKeyIdSize;
constexpr std::size_t kHeaderSize = kIvOffset + kSealedRecordIvSize;  // format, key id, IV
// EVP takes int lengths; longer inputs go through in pieces.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// Every failure to open looks the same to the caller: which check refused is
// exactly what someone probing with forged records would like to learn.
Error does_not_open() { return Error{ErrorCode::kInvalidField, "sealed record does not open"}; }

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void put_field(std::string& out, std::string_view field) {
  put_u64(out, field.size());
  out.append(field);
}

std::uint32_t get_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

// format ‖ key id ‖ len(kind) ‖ kind ‖ len(id) ‖ id ‖ version: every field has
// a fixed size or a length before it, so two different bindings never encode
// to the same bytes ("ab"+"c" and "a"+"bc" differ).
std::string associated_data(std::uint32_t key_id, const RecordBinding& binding) {
  std::string aad;
  aad.reserve(1 + kKeyIdSize + 8 + binding.kind.size() + 8 + binding.id.size() + 8);
  aad.push_back(static_cast<char>(kSealedRecordFormat));
  put_u32(aad, key_id);
  put_field(aad, binding.kind);
  put_field(aad, binding.id);
  put_u64(aad, binding.version);
  return aad;
}

// Feeds `n` bytes of `in` to the cipher (out == nullptr: associated data).
bool update(EVP_CIPHER_CTX* ctx, unsigned char* out, const unsigned char* in, std::size_t n) {
  while (n > 0) {
    const std::size_t piece = std::min(n, kMaxPiece);
    int written = 0;
    if (EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(piece)) != 1 ||
        (out != nullptr && static_cast<std::size_t>(written) != piece)) {
      return false;
    }
    in += piece;
    if (out != nullptr) out += piece;
    n -= piece;
  }
  return true;
}

// A context keyed for AES-256-GCM with a 12-byte IV, or an empty one.
CipherCtx keyed(bool encrypt, const Key256& key, const unsigned char* iv) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) return ctx;
  const int enc = encrypt ? 1 : 0;
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, enc) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kSealedRecordIvSize), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.bytes().data(), iv, enc) != 1) {
    ctx.reset();
  }
  return ctx;
}

// Writes ciphertext (plaintext.size() bytes) then the tag to `out`.
bool gcm_encrypt(const Key256& key, const unsigned char* iv, std::string_view aad, std::string_view plaintext,
                 unsigned char* out) {
  const CipherCtx ctx = keyed(true, key, iv);
  int final_len = 0;
  return ctx && update(ctx.get(), nullptr, bytes_of(aad), aad.size()) &&
         update(ctx.get(), out, bytes_of(plaintext), plaintext.size()) &&
         EVP_CipherFinal_ex(ctx.get(), out + plaintext.size(), &final_len) == 1 && final_len == 0 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kSealedRecordTagSize),
                             out + plaintext.size()) == 1;
}

// Decrypts `ciphertext_and_tag` into `out` (its size less the tag). On false,
// `out` may hold unauthenticated plaintext: the caller wipes it.
bool gcm_decrypt(const Key256& key, const unsigned char* iv, std::string_view aad,
                 std::string_view ciphertext_and_tag, unsigned char* out) {
  if (ciphertext_and_tag.size() < kSealedRecordTagSize) return false;
  const std::size_t n = ciphertext_and_tag.size() - kSealedRecordTagSize;
  // OpenSSL copies the expected tag in; its ctrl interface is not const-correct.
  unsigned char tag[kSealedRecordTagSize];
  std::copy_n(bytes_of(ciphertext_and_tag) + n, kSealedRecordTagSize, tag);
  const CipherCtx ctx = keyed(false, key, iv);
  int final_len = 0;
  return ctx && update(ctx.get(), nullptr, bytes_of(aad), aad.size()) &&
         update(ctx.get(), out, bytes_of(ciphertext_and_tag), n) &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kSealedRecordTagSize), tag) == 1 &&
         EVP_CipherFinal_ex(ctx.get(), out + n, &final_len) == 1 && final_len == 0;
}

// The plaintext of authenticated bytes only: anything decrypted before the tag
// failed to verify is wiped, never returned.
Result<std::string> decrypt_or_wipe(const Key256& key, const unsigned char* iv, std::string_view aad,
                                    std::string_view ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kSealedRecordTagSize) return does_not_open();
  std::string plaintext(ciphertext_and_tag.size() - kSealedRecordTagSize, '\0');
  if (!gcm_decrypt(key, iv, aad, ciphertext_and_tag, bytes_of(plaintext))) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return does_not_open();
  }
  return plaintext;
}

// The key id of a record that is long enough and of a format this code reads.
std::optional<std::uint32_t> sealed_key_id(std::string_view sealed) {
  if (sealed.size() < kSealedRecordOverhead || static_cast<unsigned char>(sealed[0]) != kSealedRecordFormat) {
    return std::nullopt;
  }
  return get_u32(bytes_of(sealed) + 1);
}

// `key` is the one whose id `sealed` carries.
Result<std::string> open_with(const SealingKey& key, std::string_view sealed, const RecordBinding& binding) {
  return decrypt_or_wipe(key.key, bytes_of(sealed) + kIvOffset, associated_data(key.id, binding),
                         sealed.substr(kHeaderSize));
}

Error duplicate_key_id(std::uint32_t id) {
  return Error{ErrorCode::kInvalidField, "two sealing keys share the id " + std::to_string(id)};
}

}  // namespace

std::string seal_record(const SealingKey& key, std::string_view plaintext, const RecordBinding& binding) {
  std::string sealed;
  sealed.reserve(kSealedRecordOverhead + plaintext.size());
  sealed.push_back(static_cast<char>(kSealedRecordFormat));
  put_u32(sealed, key.id);
  sealed.resize(kSealedRecordOverhead + plaintext.size());
  unsigned char* iv = bytes_of(sealed) + kIvOffset;
  if (RAND_bytes(iv, static_cast<int>(kSealedRecordIvSize)) != 1) throw std::runtime_error("RAND_bytes failed");
  if (!gcm_encrypt(key.key, iv, associated_data(key.id, binding), plaintext, iv + kSealedRecordIvSize)) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return sealed;
}

Result<std::string> open_record(const SealingKey& key, std::string_view sealed, const RecordBinding& binding) {
  const auto key_id = sealed_key_id(sealed);
  if (!key_id || *key_id != key.id) return does_not_open();
  return open_with(key, sealed, binding);
}

Result<SealingKeyring> SealingKeyring::make(SealingKey current, std::vector<SealingKey> older) {
  std::vector<SealingKey> keys;
  keys.reserve(older.size() + 1);
  keys.push_back(std::move(current));
  for (auto& key : older) {
    for (const auto& held : keys) {
      if (held.id == key.id) return duplicate_key_id(key.id);
    }
    keys.push_back(std::move(key));
  }
  return SealingKeyring(std::move(keys));
}

Result<SealingKeyring> SealingKeyring::rotated(SealingKey next) const {
  if (holds(next.id)) return duplicate_key_id(next.id);
  std::vector<SealingKey> keys;
  keys.reserve(keys_.size() + 1);
  keys.push_back(std::move(next));
  keys.insert(keys.end(), keys_.begin(), keys_.end());
  return SealingKeyring(std::move(keys));
}

Result<SealingKeyring> SealingKeyring::without(std::uint32_t key_id) const {
  if (key_id == current_key_id()) {
    return Error{ErrorCode::kInvalidField, "the current sealing key can not be removed"};
  }
  if (!holds(key_id)) return Error{ErrorCode::kInvalidField, "no sealing key has the id " + std::to_string(key_id)};
  std::vector<SealingKey> keys;
  keys.reserve(keys_.size() - 1);
  for (const auto& key : keys_) {
    if (key.id != key_id) keys.push_back(key);
  }
  return SealingKeyring(std::move(keys));
}

const SealingKey* SealingKeyring::find(std::uint32_t key_id) const {
  for (const auto& key : keys_) {
    if (key.id == key_id) return &key;
  }
  return nullptr;
}

std::string SealingKeyring::seal(std::string_view plaintext, const RecordBinding& binding) const {
  return seal_record(keys_.front(), plaintext, binding);
}

Result<std::string> SealingKeyring::open(std::string_view sealed, const RecordBinding& binding) const {
  const auto key_id = sealed_key_id(sealed);
  const SealingKey* key = key_id ? find(*key_id) : nullptr;
  if (key == nullptr) return does_not_open();
  return open_with(*key, sealed, binding);
}

namespace internal {

std::string aes256gcm_encrypt(const Key256& key, std::span<const unsigned char, kSealedRecordIvSize> iv,
                              std::string_view aad, std::string_view plaintext) {
  std::string out(plaintext.size() + kSealedRecordTagSize, '\0');
  if (!gcm_encrypt(key, iv.data(), aad, plaintext, bytes_of(out))) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return out;
}

Result<std::string> aes256gcm_decrypt(const Key256& key, std::span<const unsigned char, kSealedRecordIvSize> iv,
                                      std::string_view aad, std::string_view ciphertext_and_tag) {
  return decrypt_or_wipe(key, iv.data(), aad, ciphertext_and_tag);
}

}  // namespace internal
}  // namespace lab::security
