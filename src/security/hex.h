// Lower-case hexadecimal encoding of bytes, and its inverse.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

std::string hex_encode(const unsigned char* data, std::size_t n);
// The bytes, or INVALID_FIELD for an odd length or a character that is not a hex digit.
Result<std::string> hex_decode(std::string_view hex);

}  // namespace lab::security
