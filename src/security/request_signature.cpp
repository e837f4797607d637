#include "security/request_signature.h"

#include "core/json_text.h"
#include "security/hmac.h"

namespace lab::security {

namespace {

// The one layout both sides sign: a version line, then each covered field on its own line.
std::string canonical(const Json& type, const Json& request_id, const Json& session_id, std::string_view agent_id,
                      std::int64_t timestamp, const Json& payload) {
  std::string out = "lab-hmac-v1\n";
  append_json(out, type);
  out += '\n';
  append_json(out, request_id);
  out += '\n';
  append_json(out, session_id);
  out += '\n';
  append_json_string(out, agent_id);
  out += '\n';
  out += std::to_string(timestamp);
  out += '\n';
  append_json(out, payload);
  return out;
}

// The member, read in place, or `fallback` when it is absent.
const Json& member_or(const Json& object, const char* name, const Json& fallback) {
  const auto it = object.find(name);
  return it == object.end() ? fallback : *it;
}

const Json kEmptyString = "", kNull = nullptr, kEmptyObject = Json::object();

}  // namespace

std::string canonical_request(const Json& request, std::string_view agent_id, std::int64_t timestamp) {
  return canonical(member_or(request, "type", kEmptyString), member_or(request, "request_id", kNull),
                   member_or(request, "session_id", kNull), agent_id, timestamp,
                   member_or(request, "payload", kEmptyObject));
}

std::string canonical_request(const Request& request, std::string_view agent_id, std::int64_t timestamp) {
  return canonical(Json(request.type), request.request_id,
                   request.session_id ? Json(*request.session_id) : kNull, agent_id, timestamp, request.payload);
}

void sign_request(Json& request, const Key256& key, std::string_view agent_id, std::int64_t timestamp) {
  request["auth"] = Json{{"agent_id", agent_id},
                         {"timestamp", timestamp},
                         {"signature", hmac_sha256_hex(key, canonical_request(request, agent_id, timestamp))}};
}

Status verify_request_signature(const Request& request, const Key256& key) {
  const Json* auth = &request.auth;
  if (!auth->is_object()) {
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
