// The text form of a version 4 UUID built from two 64-bit random words
// (the version and variant bits are overwritten: 122 bits remain).
#pragma once

#include <cstdint>
#include <string>

namespace lab {

inline constexpr std::uint64_t kUuid4HiMask = 0xffffffffffff0fffULL;  // bits the version overwrites are 0
inline constexpr std::uint64_t kUuid4LoMask = 0x3fffffffffffffffULL;  // bits the variant overwrites are 0

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
std::string format_uuid4(std::uint64_t hi, std::uint64_t lo);

}  // namespace lab
