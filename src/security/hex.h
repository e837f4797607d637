// Text encodings of bytes: lower-case hexadecimal (and its inverse) and base64.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

std::string hex_encode(const unsigned char* data, std::size_t n);
// The bytes, or INVALID_FIELD for an odd length or a character that is not a hex digit.
Result<std::string> hex_decode(std::string_view hex);

// Standard base64 (RFC 4648 section 4: "+/" and "=" padding); the decoder refuses anything else with INVALID_FIELD.
std::string base64_encode(const unsigned char* data, std::size_t n);
Result<std::string> base64_decode(std::string_view text);
// Unpadded base64url (RFC 4648 section 5), as JWTs use it; the decoder refuses anything else with INVALID_FIELD.
std::string base64url_encode(std::string_view bytes);
Result<std::string> base64url_decode(std::string_view text);

}  // namespace lab::security
