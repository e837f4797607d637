// ReadBuffer: where a connection's reads land. It starts small, so that an idle connection costs little, and
// grows (up to a cap) when a read fills it, so that a peer sending many lines at once (pipelining) or a long line
// is read in a few system calls rather than one per small chunk. After a run of reads that would have fit the
// small size, it goes back to it, so a connection that was busy once does not keep the large buffer while idle.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace lab::net::detail {

class ReadBuffer {
 public:
  // Reads that fit `initial` bytes this many times in a row take a grown buffer back to `initial`.
  static constexpr int kShrinkAfterSmallReads = 64;

  // `initial` <= `cap`; both above zero.
  ReadBuffer(std::size_t initial, std::size_t cap) : initial_(initial), cap_(cap) {}

  // Where the next read goes (allocated on first use).
  char* data() {
    if (bytes_.empty()) bytes_.resize(initial_);
    return bytes_.data();
  }
  std::size_t size() const { return bytes_.empty() ? initial_ : bytes_.size(); }

  // The bytes the last read gave, valid until `adapt`.
  std::string_view received(std::size_t n) const { return std::string_view(bytes_.data(), n); }

  // After the last read's bytes are consumed: the size the next read gets.
  void adapt(std::size_t last_read) {
    if (last_read == bytes_.size() && bytes_.size() < cap_) {
      bytes_.resize(std::min(cap_, bytes_.size() * 4));
      small_reads_ = 0;
    } else if (bytes_.size() > initial_ && last_read <= initial_) {
      if (++small_reads_ >= kShrinkAfterSmallReads) {
        std::vector<char>(initial_).swap(bytes_);
        small_reads_ = 0;
      }
    } else {
      small_reads_ = 0;
    }
  }

 private:
  std::size_t initial_;
  std::size_t cap_;
  std::vector<char> bytes_;
  int small_reads_ = 0;
};

}  // namespace lab::net::detail
