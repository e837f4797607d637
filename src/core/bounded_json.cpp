#include "core/bounded_json.h"

#include <string>

namespace lab {
namespace {

// SAX handler: validates a document and keeps the scalar members of a
// top-level object (null for any other document).
struct TopLevelScalars final : nlohmann::json_sax<Json> {
  Json fields;
  int depth = 0;
  std::string member;  // the top-level key whose value comes next

  bool keep(Json value) {
    if (depth == 1 && fields.is_object()) fields[member] = std::move(value);
    return true;
  }
  bool null() override { return keep(nullptr); }
  bool boolean(bool v) override { return keep(v); }
  bool number_integer(number_integer_t v) override { return keep(v); }
  bool number_unsigned(number_unsigned_t v) override { return keep(v); }
  bool number_float(number_float_t v, const string_t&) override { return keep(v); }
  bool string(string_t& v) override { return keep(v); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth++ == 0) fields = Json::object();
    return true;
  }
  bool key(string_t& k) override {
    if (depth == 1) member = k;
    return true;
  }
  bool end_object() override { return --depth, true; }
  bool start_array(std::size_t) override { return ++depth, true; }
  bool end_array() override { return --depth, true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

}  // namespace

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
  // Too deep: one more pass, through the SAX interface, that only checks the
  // syntax and keeps the top level's scalar fields (a request id); nothing
  // deeper is ever built, and the parser's own stack is one bit per level.
  TopLevelScalars keep;
  if (!Json::sax_parse(text, &keep, Json::input_format_t::json, /*strict=*/true)) {
    return {JsonParseStatus::kMalformed, Json()};
  }
  return {JsonParseStatus::kTooDeep, std::move(keep.fields)};
}

}  // namespace lab
