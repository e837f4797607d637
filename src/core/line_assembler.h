// LineAssembler: turns a byte stream into newline-delimited frames.
//
// Memory stays bounded by the maximum line length: once the line being
// assembled exceeds it, the assembler stops buffering and reports kTooLarge.
// A trailing '\r' is stripped so CRLF peers work.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

class LineAssembler {
 public:
  static constexpr std::size_t kUnlimited = 0;

  explicit LineAssembler(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  enum class Feed { kOk, kTooLarge };

  // Appends every line completed by `bytes` to `lines`. After kTooLarge the
  // assembler holds nothing and must not be fed again.
  Feed feed(std::string_view bytes, std::vector<std::string>& lines);

  std::size_t buffered_bytes() const { return partial_.size(); }
  std::size_t max_line_bytes() const { return max_line_bytes_; }

 private:
  bool exceeds(std::size_t n) const { return max_line_bytes_ != kUnlimited && n > max_line_bytes_; }

  std::size_t max_line_bytes_;
  std::string partial_;
  bool overflowed_ = false;
};

}  // namespace lab
