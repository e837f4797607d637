// Key256: a 256-bit secret key as a type of its own, in the spirit of
// libsodium. It has a fixed size, is made only from the OS CSPRNG or from
// exactly 64 hex digits, is compared in constant time, is wiped from memory
// when destroyed, and has no implicit conversion to text: writing one out
// (to the wire, or to stage 1-2's plaintext state file) takes an explicit
// to_hex(), easy to find in a review. It can not end up in a log line by
// accident.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

class Key256 {
 public:
  static constexpr std::size_t kSize = 32;

  // A fresh key from the operating system's CSPRNG.
  static Key256 random();
  // Exactly 64 hex digits (either case); anything else is INVALID_FIELD.
  static Result<Key256> from_hex(std::string_view hex);

  Key256(const Key256&) = default;
  Key256& operator=(const Key256&) = default;
  ~Key256();

  std::span<const unsigned char, kSize> bytes() const { return bytes_; }
  std::string to_hex() const;

  // Constant time.
  friend bool operator==(const Key256& a, const Key256& b);

 private:
  Key256() = default;
  std::array<unsigned char, kSize> bytes_{};
};

}  // namespace lab::security
