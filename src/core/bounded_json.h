// JSON from peers and from disk, parsed with a bound on nesting depth.
//
// nlohmann::json parses iteratively, but copying and dumping a value recurse
// once per level: a few hundred KB of "[[[[..." would overflow an io thread's
// stack long after parsing succeeded. Every JSON text that crosses a trust
// boundary (a request line, a response line, a state file) goes through
// parse_json_bounded, so no deeper value ever exists in the process.
#pragma once

#include <string_view>

#include "core/domain.h"

namespace lab {

// Arrays and objects may nest this deep (the top-level value counts as 1).
inline constexpr int kMaxJsonDepth = 64;

// The deepest nesting of arrays and objects in `text`, counting brackets
// outside strings; stops scanning once the depth exceeds `stop_above`.
int json_nesting_depth(std::string_view text, int stop_above);

enum class JsonParseStatus { kOk, kMalformed, kTooDeep };

struct BoundedJson {
  JsonParseStatus status = JsonParseStatus::kMalformed;
  // kOk: the document. kTooDeep: only the scalar members of a top-level
  // object (so a caller can still read a request id), nothing deeper is ever
  // built. kMalformed: null.
  Json value;
};

BoundedJson parse_json_bounded(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace lab
