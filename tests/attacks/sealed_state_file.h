// Test fixture store: the state sealed with libsodium's secretbox (XSalsa20-
// Poly1305), written through on every change with an atomic rename and fsync,
// and refused on load when it does not authenticate.
#pragma once

#include <filesystem>
#include <mutex>

#include "coordinator/policies.h"

namespace lab::testing {

class SealedStateFile final : public coordinator::StateStore {
 public:
  // `key` must be crypto_secretbox_KEYBYTES long.
  SealedStateFile(std::filesystem::path path, std::string key);

  Json load() override;  // throws std::runtime_error on a file that does not authenticate
  void changed(const std::function<Json()>& snapshot) override;
  void flush(const std::function<Json()>& snapshot) override;

 private:
  std::filesystem::path path_;
  std::string key_;
  std::mutex mutex_;
};

}  // namespace lab::testing
