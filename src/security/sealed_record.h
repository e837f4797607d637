// Sealed records: stage 3's state at rest, encrypted and integrity-checked
// (AES-256-GCM, OpenSSL EVP), in the spirit of libsodium and Tink: hard to
// misuse, and a failure says nothing about why.
//
// Contract
//  - seal(plaintext, binding) encrypts under the keyring's current key with a
//    fresh random 96-bit IV. The result is a self-describing byte string:
//        format (1 byte, kSealedRecordFormat) ‖ key id (4 bytes, big-endian)
//        ‖ IV (12 bytes) ‖ ciphertext (as long as the plaintext) ‖ tag (16 bytes)
//  - The associated data binds what the record IS: the format byte, the key id
//    and the RecordBinding {kind, id, version}, each string length-prefixed, so
//    no two different bindings share an encoding. A record opens only with the
//    exact binding it was sealed with: one moved to another id or kind, or an
//    older version put back in place of a newer one (rollback), does not open.
//  - open(sealed, binding) returns the plaintext, or INVALID_FIELD "sealed record
//    does not open" for every failure alike (truncated, garbled, unknown format,
//    unknown key id, wrong binding, wrong key). No plaintext is returned or kept
//    unless the tag verified: the buffer is wiped before the error is returned.
//  - Bad input never throws. seal throws std::runtime_error only when the
//    operating system's CSPRNG or OpenSSL itself fails.
//  - Versions are the caller's: the store raises the version on every write and
//    passes the version it expects when it opens.
//
// IV-reuse bound: IVs are random 96-bit values, so NIST SP 800-38D (section
// 8.3) allows at most 2^32 seals under one key; by then the chance that two
// share an IV is about 2^-33, and one repeated IV under a key gives away its
// authentication key. Rotate the key (SealingKeyring::rotated) long before
// 2^32 seals; re-sealing a record on its next write moves it to the current key.
//
// Thread safety: a SealingKeyring never changes after it is made (rotation
// makes a new one), so any number of threads may seal and open through one
// concurrently. Each call uses an EVP_CIPHER_CTX of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "security/key256.h"

namespace lab::security {

inline constexpr unsigned char kSealedRecordFormat = 1;
inline constexpr std::size_t kSealedRecordIvSize = 12;
inline constexpr std::size_t kSealedRecordTagSize = 16;
// Bytes a sealed record adds to its plaintext: format, key id, IV, tag.
inline constexpr std::size_t kSealedRecordOverhead = 1 + 4 + kSealedRecordIvSize + kSealedRecordTagSize;

// What a record is, bound into its associated data.
struct RecordBinding {
  std::string_view kind;  // what sort of record ("session", "task", ...)
  std::string_view id;    // which one (e.g. the SHA-256 of a session id)
  std::uint64_t version;  // which write of it; the caller's store keeps it
};

// A sealing key and the short id written into every record sealed with it.
struct SealingKey {
  std::uint32_t id;
  Key256 key;
};

// Sealing and opening with one key. A record sealed under another key id does not open.
std::string seal_record(const SealingKey& key, std::string_view plaintext, const RecordBinding& binding);
[[nodiscard]] Result<std::string> open_record(const SealingKey& key, std::string_view sealed,
                                              const RecordBinding& binding);

// The keys a process holds: it seals with the current one and opens with any of
// them, chosen by the key id the record carries.
class SealingKeyring {
 public:
  // A keyring sealing with `current` and also opening records of `older`.
  // INVALID_FIELD when two keys share an id.
  [[nodiscard]] static Result<SealingKeyring> make(SealingKey current, std::vector<SealingKey> older = {});

  // A new keyring sealing with `next`, still opening everything this one opens.
  // INVALID_FIELD when `next`'s id is already held.
  [[nodiscard]] Result<SealingKeyring> rotated(SealingKey next) const;
  // A new keyring without the older key `key_id` (once no record needs it).
  // INVALID_FIELD for the current key or an id it does not hold.
  [[nodiscard]] Result<SealingKeyring> without(std::uint32_t key_id) const;

  std::uint32_t current_key_id() const { return keys_.front().id; }
  bool holds(std::uint32_t key_id) const { return find(key_id) != nullptr; }

  std::string seal(std::string_view plaintext, const RecordBinding& binding) const;
  [[nodiscard]] Result<std::string> open(std::string_view sealed, const RecordBinding& binding) const;

 private:
  explicit SealingKeyring(std::vector<SealingKey> keys) : keys_(std::move(keys)) {}
  const SealingKey* find(std::uint32_t key_id) const;

  std::vector<SealingKey> keys_;  // the current key first; ids unique
};

// Raw AES-256-GCM with a caller-chosen IV, exposed only so that known-answer
// vectors can check the cipher underneath seal_record. Anything else must go
// through seal_record or SealingKeyring, which never reuse an IV.
namespace internal {

// ciphertext ‖ 16-byte tag.
std::string aes256gcm_encrypt(const Key256& key, std::span<const unsigned char, kSealedRecordIvSize> iv,
                              std::string_view aad, std::string_view plaintext);
// The plaintext, or the vague error when the tag does not verify.
[[nodiscard]] Result<std::string> aes256gcm_decrypt(const Key256& key,
                                                    std::span<const unsigned char, kSealedRecordIvSize> iv,
                                                    std::string_view aad, std::string_view ciphertext_and_tag);

}  // namespace internal
}  // namespace lab::security
