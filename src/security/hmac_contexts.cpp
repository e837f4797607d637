#include "security/hmac_contexts.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "security/bytes.h"

namespace lab::security {
namespace {

using Context = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;

Context new_context() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("HMAC is not available from OpenSSL");
  Context made(EVP_MAC_CTX_new(mac), &EVP_MAC_CTX_free);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!made || EVP_MAC_CTX_set_params(made.get(), params) != 1) {
    throw std::runtime_error("HMAC-SHA256: OpenSSL could not set up a context");
  }
  return made;
}

void start(EVP_MAC_CTX* ctx, const unsigned char* key, std::size_t size) {
  // A null key means "keep the one already set" to EVP_MAC_init.
  if (EVP_MAC_init(ctx, key, size, nullptr) != 1) throw std::runtime_error("HMAC-SHA256: OpenSSL could not start");
}

class KeyedContexts {
 public:
  KeyedContexts() { randombytes_buf(slot_key_.data(), slot_key_.size()); }
  ~KeyedContexts() {
    for (Slot& slot : slots_) sodium_memzero(slot.key.data(), slot.key.size());
    sodium_memzero(slot_key_.data(), slot_key_.size());
  }
  KeyedContexts(const KeyedContexts&) = delete;
  KeyedContexts& operator=(const KeyedContexts&) = delete;

  EVP_MAC_CTX* started_with(const Key256& key) {
    const auto bytes = key.bytes();
    std::array<unsigned char, crypto_shorthash_BYTES> hash{};
    crypto_shorthash(hash.data(), bytes.data(), bytes.size(), slot_key_.data());
    std::uint64_t index = 0;
    std::memcpy(&index, hash.data(), sizeof index);
    Slot& slot = slots_[index % kSlots];
    if (slot.context && CRYPTO_memcmp(slot.key.data(), bytes.data(), bytes.size()) == 0) {
      start(slot.context.get(), nullptr, 0);  // the pads of this key are already there
      return slot.context.get();
    }
    if (!slot.context) slot.context = new_context();
    start(slot.context.get(), bytes.data(), bytes.size());
    std::memcpy(slot.key.data(), bytes.data(), bytes.size());
    return slot.context.get();
  }

 private:
  static constexpr std::size_t kSlots = 64;
  struct Slot {
    std::array<unsigned char, Key256::kSize> key{};
    Context context{nullptr, &EVP_MAC_CTX_free};
  };
  std::array<unsigned char, crypto_shorthash_KEYBYTES> slot_key_{};
  std::array<Slot, kSlots> slots_;
};

}  // namespace

EVP_MAC_CTX* hmac_context_for(std::string_view key) {
  thread_local const Context context = new_context();
  static const unsigned char kNoKeyBytes = 0;  // an empty key is passed as a real, empty one
  start(context.get(), key.empty() ? &kNoKeyBytes : bytes_of(key), key.size());
  return context.get();
}

EVP_MAC_CTX* hmac_context_for(const Key256& key) {
  thread_local KeyedContexts contexts;
  return contexts.started_with(key);
}

}  // namespace lab::security
