// Request/response envelope of the newline-delimited JSON protocol
// (docs/PROTOCOL.md). One request object per line, one response per request,
// request_id echoed verbatim; events are pushed as {"type":"event",...}.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/auth_fields.h"
#include "core/domain.h"
#include "core/reply.h"
#include "core/result.h"

namespace lab {

struct Request {
  Json request_id;                        // string, integer or null; echoed in the response
  std::string type;                       // operation name
  std::optional<std::string> session_id;  // absent when the caller has none
  Json payload = Json::object();          // operation arguments
  AuthFields auth;                        // stage-specific authentication block, read flat (absent when none)
};

// Parses one line. On failure, `request_id` still receives the id when the line
// was a JSON object carrying a usable one, so the error can be correlated.
Result<Request> parse_request(std::string_view line, Json& request_id);

std::string ok_response(const Json& request_id, const Reply& data);
std::string error_response(const Json& request_id, const Error& error);
std::string event_message(const Json& event);
// The same line from an event already serialized as compact JSON.
std::string event_line(std::string_view event_json);

}  // namespace lab
