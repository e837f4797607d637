#include "core/uuid4.h"

#include <cstdio>

namespace lab {

std::string format_uuid4(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & kUuid4HiMask) | 0x0000000000004000ULL;
  lo = (lo & kUuid4LoMask) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

}  // namespace lab
