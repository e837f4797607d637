#include "core/envelope.h"

#include <string>

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

}  // namespace

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
