// Lower-case hexadecimal encoding of bytes, and its inverse.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lab::security {

std::string hex_encode(const unsigned char* data, std::size_t n);
// Empty on malformed input (odd length or a non-hex character).
std::string hex_decode(std::string_view hex);

}  // namespace lab::security
