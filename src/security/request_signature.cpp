#include "security/request_signature.h"

#include "security/hmac.h"

namespace lab::security {

namespace {

// Appends the member's JSON text (or the fallback's, when it is absent),
// reading the member in place: no copy of the payload is made.
void append_member(std::string& out, const Json& request, const char* name, const Json& fallback,
                   Json::error_handler_t errors = Json::error_handler_t::strict) {
  const auto it = request.find(name);
  out += (it == request.end() ? fallback : *it).dump(-1, ' ', false, errors);
}

}  // namespace

std::string canonical_request(const Json& request, std::string_view agent_id, std::int64_t timestamp) {
  static const Json kEmptyString = "", kNull = nullptr, kEmptyObject = Json::object();
  std::string out = "lab-hmac-v1\n";
  append_member(out, request, "type", kEmptyString);
  out += '\n';
  append_member(out, request, "request_id", kNull);
  out += '\n';
  append_member(out, request, "session_id", kNull);
  out += '\n';
  out += Json(agent_id).dump();
  out += '\n';
  out += std::to_string(timestamp);
  out += '\n';
  append_member(out, request, "payload", kEmptyObject, Json::error_handler_t::replace);
  return out;
}

void sign_request(Json& request, const Key256& key, std::string_view agent_id, std::int64_t timestamp) {
  request["auth"] = Json{{"agent_id", agent_id},
                         {"timestamp", timestamp},
                         {"signature", hmac_sha256_hex(key, canonical_request(request, agent_id, timestamp))}};
}

Status verify_request_signature(const Json& request, const Key256& key) {
  const auto auth = request.find("auth");
  if (auth == request.end() || !auth->is_object()) {
    return Error{ErrorCode::kAuthRequired, "signed requests need an auth block"};
  }
  const auto agent = auth->find("agent_id");
  const auto ts = auth->find("timestamp");
  const auto sig = auth->find("signature");
  if (agent == auth->end() || !agent->is_string() || ts == auth->end() || !ts->is_number_integer() ||
      sig == auth->end() || !sig->is_string()) {
    return Error{ErrorCode::kInvalidField, "auth needs agent_id (string), timestamp (integer) and signature (hex)"};
  }
  const std::string expected =
      hmac_sha256_hex(key, canonical_request(request, agent->get<std::string>(), ts->get<std::int64_t>()));
  if (!constant_time_equal(expected, sig->get<std::string>())) {
    return Error{ErrorCode::kSignatureInvalid, "the request signature does not match"};
  }
  return ok_status();
}

}  // namespace lab::security
