#pragma once
// Eight bytes of text tested at once: the exact word tests of "Bit Twiddling Hacks" (a byte below n, a byte equal
// to c), for the scans every request line and every reply string go through. Each test is exact: nonzero when,
// and only when, some byte of the word matches.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lab::byte_words {

inline constexpr std::size_t kWordBytes = 8;
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The eight bytes at `p`, in memory order (any alignment).
inline std::uint64_t load(const char* p) {
  std::uint64_t word = 0;
  std::memcpy(&word, p, kWordBytes);
  return word;
}

// Some byte of `word` is below `n` (n at most 0x80).
constexpr bool has_byte_below(std::uint64_t word, std::uint8_t n) {
  return ((word - n * kOnes) & ~word & kHighBits) != 0;
}

// Some byte of `word` equals `c`.
constexpr bool has_byte(std::uint64_t word, std::uint8_t c) { return has_byte_below(word ^ (c * kOnes), 1); }

// Some byte of `word` is outside ASCII (its high bit is set).
constexpr bool has_high_byte(std::uint64_t word) { return (word & kHighBits) != 0; }

}  // namespace lab::byte_words
