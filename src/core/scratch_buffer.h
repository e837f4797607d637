#pragma once
// A thread's scratch buffer, kept from one message to the next so that a request or a reply is written into memory
// that is already there, and let go once one large message has grown it: a thread never holds more than
// kKeptScratchBytes of scratch between messages.

#include <cstddef>
#include <string>

namespace lab {

inline constexpr std::size_t kKeptScratchBytes = 64 * 1024;

// Whether a scratch buffer of `bytes` is let go instead of kept for the next message.
constexpr bool scratch_too_large_to_keep(std::size_t bytes) { return bytes > kKeptScratchBytes; }

// Frees `buffer`'s memory when it grew past kKeptScratchBytes; a smaller one keeps its capacity.
inline void release_scratch_if_grown(std::string& buffer) {
  if (scratch_too_large_to_keep(buffer.capacity())) std::string().swap(buffer);
}

}  // namespace lab
