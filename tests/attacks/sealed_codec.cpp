#include "sealed_codec.h"

#include <sodium.h>

#include <stdexcept>

namespace lab::testing {

SealedCodec::SealedCodec(std::string key) : key_(std::move(key)) {
  if (sodium_init() < 0 || key_.size() != crypto_secretbox_KEYBYTES) throw std::runtime_error("bad sealing key");
}

Json SealedCodec::decode(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    throw std::runtime_error("sealed state is truncated");
  }
  std::string plain(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const auto* box = nonce + crypto_secretbox_NONCEBYTES;
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    throw std::runtime_error("sealed state does not authenticate");
  }
  return Json::parse(plain);
}

std::string SealedCodec::encode(const Json& state) const {
  const std::string plain = state.dump();
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return sealed;
}

}  // namespace lab::testing
