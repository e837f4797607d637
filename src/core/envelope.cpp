#include "core/envelope.h"

#include <algorithm>
#include <string>

#include "core/bounded_json.h"
#include "core/json_text.h"

namespace lab {
namespace {

constexpr auto kDumpIndent = -1;
constexpr char kDumpIndentChar = ' ';
constexpr bool kEnsureAscii = false;

std::string dump_line(const Json& j) {
  // Invalid UTF-8 cannot come from a parsed request, but a handler may echo
  // bytes from elsewhere: replace instead of throwing.
  std::string out = j.dump(kDumpIndent, kDumpIndentChar, kEnsureAscii, Json::error_handler_t::replace);
  out.push_back('\n');
  return out;
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

Result<Request> parse_request(std::string_view line, Json& request_id) {
  request_id = nullptr;
  if (is_blank(line)) return Error{ErrorCode::kEmptyMessage, "empty line: send one JSON object per line"};
  auto parsed = parse_json_bounded(line);
  // The JSON parser stops at a NUL as if the input ended there; a NUL is never
  // valid JSON text, so the bytes after it must not be silently dropped.
  if (parsed.status == JsonParseStatus::kMalformed || line.find('\0') != std::string_view::npos) {
    return Error{ErrorCode::kMalformedJson, "the line is not valid JSON (UTF-8 text, one object per line)"};
  }
  Json& doc = parsed.value;
  if (parsed.status == JsonParseStatus::kTooDeep) {
    if (auto id = doc.is_object() ? doc.find("request_id") : doc.end();
        id != doc.end() && (id->is_string() || id->is_number_integer())) {
      request_id = *id;
    }
    return Error{ErrorCode::kNestingTooDeep, "arrays and objects may nest at most " + std::to_string(kMaxJsonDepth) +
                                                 " levels deep"};
  }
  if (!doc.is_object()) return Error{ErrorCode::kInvalidRequest, "a request must be a JSON object"};

  if (auto it = doc.find("request_id"); it != doc.end()) {
    if (!it->is_string() && !it->is_number_integer() && !it->is_null()) {
      return Error{ErrorCode::kInvalidField, "request_id must be a string or an integer"};
    }
    request_id = *it;
  }

  Request req;
  req.request_id = request_id;
  auto type = doc.find("type");
  if (type == doc.end()) return Error{ErrorCode::kMissingField, "type is required"};
  if (!type->is_string()) return Error{ErrorCode::kInvalidField, "type must be a string"};
  req.type = type->get<std::string>();

  if (auto it = doc.find("session_id"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) return Error{ErrorCode::kInvalidField, "session_id must be a string"};
    req.session_id = it->get<std::string>();
  }
  if (auto it = doc.find("payload"); it != doc.end() && !it->is_null()) {
    if (!it->is_object()) return Error{ErrorCode::kInvalidField, "payload must be an object"};
    req.payload = std::move(*it);  // moved out of the parsed document, not copied
  }
  if (auto it = doc.find("auth"); it != doc.end()) req.auth = std::move(*it);
  return req;
}

std::string ok_response(const Json& request_id, const Reply& data) {
  // Written around the data's text (members in the order a dump of the whole object would give them), so a
  // reply already serialized is never parsed or copied into a tree.
  std::string out;
  out.reserve(data.text_size() + 64);
  out += "{\"data\":";
  data.append_to(out);
  out += ",\"request_id\":";
  append_json(out, request_id);
  out += ",\"status\":\"ok\"}\n";
  return out;
}

std::string error_response(const Json& request_id, const Error& error) {
  return dump_line(Json{{"request_id", request_id},
                        {"status", "error"},
                        {"code", to_string(error.code)},
                        {"message", error.message}});
}

std::string event_message(const Json& event) {
  return event_line(event.dump(kDumpIndent, kDumpIndentChar, kEnsureAscii, Json::error_handler_t::replace));
}

std::string event_line(std::string_view event_json) {
  std::string out;
  out.reserve(event_json.size() + 28);
  out += "{\"event\":";
  out += event_json;
  out += ",\"type\":\"event\"}\n";
  return out;
}

}  // namespace lab
