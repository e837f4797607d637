// Test fixture codec: the state sealed with libsodium's secretbox (XSalsa20-
// Poly1305); a file that does not authenticate is refused on load.
#pragma once

#include <string>

#include "store/state_codec.h"

namespace lab::testing {

class SealedCodec final : public store::StateCodec {
 public:
  // `key` must be crypto_secretbox_KEYBYTES long.
  explicit SealedCodec(std::string key);

  std::string encode(const Json& state) const override;
  Json decode(std::string_view bytes) const override;  // throws std::runtime_error when it does not authenticate

 private:
  std::string key_;
};

}  // namespace lab::testing
