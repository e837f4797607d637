// Text as the unsigned bytes C crypto APIs (OpenSSL, libsodium) take.
#pragma once

#include <string>
#include <string_view>

namespace lab::security {

// Never null: a zero-length key or message still needs a valid pointer.
inline const unsigned char* bytes_of(std::string_view s) {
  static const unsigned char kNothing = 0;
  return s.empty() ? &kNothing : reinterpret_cast<const unsigned char*>(s.data());
}

// The string's own buffer, to be written in place.
inline unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace lab::security
