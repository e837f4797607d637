#include "core/line_assembler.h"

namespace lab {

LineAssembler::Feed LineAssembler::feed(std::string_view bytes, std::vector<std::string>& lines) {
  if (overflowed_) return Feed::kTooLarge;
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view chunk = bytes.substr(0, nl);
    if (exceeds(partial_.size() + chunk.size())) {
      overflowed_ = true;
      std::string().swap(partial_);  // release the memory, not only the size
      return Feed::kTooLarge;
    }
    partial_.append(chunk);
    if (nl == std::string_view::npos) break;
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    lines.push_back(std::move(partial_));
    partial_.clear();
    bytes.remove_prefix(nl + 1);
  }
  return Feed::kOk;
}

}  // namespace lab
