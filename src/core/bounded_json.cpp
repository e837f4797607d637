#include "core/bounded_json.h"

namespace lab {

int json_nesting_depth(std::string_view text, int stop_above) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stop_above) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

BoundedJson parse_json_bounded(std::string_view text, int max_depth) {
  if (json_nesting_depth(text, max_depth) <= max_depth) {
    Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return {JsonParseStatus::kMalformed, Json()};
    return {JsonParseStatus::kOk, std::move(doc)};
  }
  // Too deep: parse once more, dropping every container that starts below the
  // bound, so the kept document is shallow and still tells a malformed text
  // from a well-formed but too deep one. The parser itself is iterative.
  const Json::parser_callback_t keep_shallow = [max_depth](int depth, Json::parse_event_t event, Json&) {
    const bool opens = event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    return !(opens && depth >= max_depth);
  };
  Json shallow = Json::parse(text, keep_shallow, /*allow_exceptions=*/false);
  if (shallow.is_discarded()) return {JsonParseStatus::kMalformed, Json()};
  return {JsonParseStatus::kTooDeep, std::move(shallow)};
}

}  // namespace lab
