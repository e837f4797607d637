#include "security/request_signature.h"

#include "core/json_text.h"
#include "core/scratch_buffer.h"
#include "security/hmac.h"

namespace lab::security {

namespace {

// The one layout both sides sign: a version line, then each covered field on its own line.
// `type` and `session_id` are JSON values as the request carries them (a missing session id is null).
struct Covered {
  const Json& type;
  const Json& request_id;
  const Json& session_id;
  const Json& payload;
};

void append_text_or_json(std::string& out, const std::string* text, const Json& otherwise) {
  if (text) {
    append_json_string(out, *text);
  } else {
    append_json(out, otherwise);
  }
}

void append_covered_text(std::string& out, const Covered& c, const std::string* type_text,
                         const std::string* session_text, std::string_view agent_id, std::int64_t timestamp) {
  out.reserve(out.size() + 256);
  out += "lab-hmac-v1\n";
  append_text_or_json(out, type_text, c.type);
  out += '\n';
  append_json(out, c.request_id);
  out += '\n';
  append_text_or_json(out, session_text, c.session_id);
  out += '\n';
  append_json_string(out, agent_id);
  out += '\n';
  out += std::to_string(timestamp);
  out += '\n';
  append_json(out, c.payload);
}

// The member, read in place, or `fallback` when it is absent.
const Json& member_or(const Json& object, const char* name, const Json& fallback) {
  const auto it = object.find(name);
  return it == object.end() ? fallback : *it;
}

const Json kEmptyString = "", kNull = nullptr, kEmptyObject = Json::object();

}  // namespace

std::string canonical_request(const Json& request, std::string_view agent_id, std::int64_t timestamp) {
  // A null payload is what the server reads as an empty one (Request::payload), so it is signed as one.
  const Json& payload = member_or(request, "payload", kEmptyObject);
  const Covered covered{member_or(request, "type", kEmptyString), member_or(request, "request_id", kNull),
                        member_or(request, "session_id", kNull), payload.is_null() ? kEmptyObject : payload};
  std::string out;
  append_covered_text(out, covered, nullptr, nullptr, agent_id, timestamp);
  return out;
}

namespace {

void append_canonical_request(std::string& out, const Request& request, std::string_view agent_id,
                              std::int64_t timestamp) {
  // The parsed request keeps type and session id as plain strings: written as JSON strings, no tree built.
  const Covered covered{kNull, request.request_id, kNull, request.payload};
  append_covered_text(out, covered, &request.type, request.session_id ? &*request.session_id : nullptr, agent_id,
                      timestamp);
}

}  // namespace

std::string canonical_request(const Request& request, std::string_view agent_id, std::int64_t timestamp) {
  std::string out;
  append_canonical_request(out, request, agent_id, timestamp);
  return out;
}

void sign_request(Json& request, const Key256& key, std::string_view agent_id, std::int64_t timestamp) {
  request["auth"] = Json{{"agent_id", agent_id},
                         {"timestamp", timestamp},
                         {"signature", hmac_sha256_hex(key, canonical_request(request, agent_id, timestamp))}};
}

Status verify_request_signature(const Request& request, const Key256& key) {
  const AuthFields& auth = request.auth;
  if (!auth.is_object()) {
    return Error{ErrorCode::kAuthRequired, "signed requests need an auth block"};
  }
  const std::string* agent = auth.text("agent_id");
  const auto ts = auth.integer("timestamp");
  const std::string* sig = auth.text("signature");
  if (!agent || !ts || !sig) {
    return Error{ErrorCode::kInvalidField, "auth needs agent_id (string), timestamp (integer) and signature (hex)"};
  }
  // Written into this thread's buffer, which the next request reuses (one grown by a large payload is let go).
  thread_local std::string signed_text;
  signed_text.clear();
  append_canonical_request(signed_text, request, *agent, *ts);
  const bool matches = hmac_sha256_hex_matches(key, signed_text, *sig);
  release_scratch_if_grown(signed_text);
  if (!matches) {
    return Error{ErrorCode::kSignatureInvalid, "the request signature does not match"};
  }
  return ok_status();
}

}  // namespace lab::security
