// Reply: what an operation answers — a JSON value, or the same value already
// written as text (the hot read paths stream their answer without a tree).
// A front appends the text to its response; in-process callers read json().
#pragma once

#include <string>
#include <utility>

#include "core/domain.h"

namespace lab {

class Reply {
 public:
  Reply(Json value) : value_(std::move(value)) {}  // NOLINT: implicit by design, so handlers return Json{...}

  // `json_text` must be one complete JSON value.
  static Reply serialized(std::string json_text) {
    Reply r(Json(nullptr));
    r.text_ = std::move(json_text);
    r.is_text_ = true;
    return r;
  }

  // The value as a tree (parsed from the text the first time, for a serialized reply).
  const Json& json() const {
    if (is_text_ && value_.is_null()) value_ = Json::parse(text_);
    return value_;
  }
  // Bytes of text a serialized reply holds (0 for a tree: unknown until dumped).
  std::size_t text_size() const { return is_text_ ? text_.size() : 0; }
  // The value as compact JSON text.
  void append_to(std::string& out) const {
    if (is_text_) {
      out += text_;
    } else {
      out += value_.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
  }

 private:
  mutable Json value_;
  std::string text_;
  bool is_text_ = false;
};

}  // namespace lab
