#include "net/protocol_client.h"

#include <random>

#include "core/bounded_json.h"

namespace lab::net {
namespace {

std::string random_prefix() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> dist(0, 0xffffff);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06x", dist(rd));
  return buf;
}

// A line from the server as a JSON object, or null. Responses embed values
// that requests stored, one envelope deeper than a request may nest.
Json parse_message(std::string_view line) {
  auto parsed = parse_json_bounded(line, 2 * kMaxJsonDepth);
  if (parsed.status != JsonParseStatus::kOk || !parsed.value.is_object()) return Json();
  return std::move(parsed.value);
}

}  // namespace

Error error_from_response(const Json& response) {
  const std::string code = response.value("code", std::string("INTERNAL_ERROR"));
  return Error{error_code_from_string(code).value_or(ErrorCode::kInternalError),
               response.value("message", std::string{})};
}

Status ProtocolClient::connect(const ClientOptions& options) {
  id_prefix_ = random_prefix();
  return line_.connect(options);
}

std::string ProtocolClient::next_request_id() { return id_prefix_ + "-" + std::to_string(++counter_); }

Result<Json> ProtocolClient::request(Json request) {
  if (hook) hook(request);
  const Json id = request.value("request_id", Json());
  if (auto s = line_.send_line(request.dump()); !s) return s.error();
  for (;;) {
    auto line = line_.read_line();
    if (!line) return line.error();
    Json msg = parse_message(*line);
    if (!msg.is_object()) {
      return Error{ErrorCode::kMalformedJson, "server sent a line that is not a JSON object"};
    }
    if (msg.value("type", std::string{}) == "event") {
      events_.push_back(std::move(msg));
      continue;
    }
    // Responses to requests we could not correlate (request_id null) match too.
    if (msg.value("request_id", Json()) == id || msg.value("request_id", Json()).is_null()) return msg;
  }
}

Result<Json> ProtocolClient::call(std::string_view type, Json payload) {
  Json req{{"type", type}, {"request_id", next_request_id()}, {"payload", std::move(payload)}};
  if (session_id) req["session_id"] = *session_id;
  auto resp = request(std::move(req));
  if (!resp) return resp.error();
  if (resp->value("status", std::string{}) != "ok") return error_from_response(*resp);
  return resp->value("data", Json::object());
}

Result<Json> ProtocolClient::next_event(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events_.empty()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Error{ErrorCode::kConnectionFailed, "timed out"};
    auto line = line_.read_line(left);
    if (!line) return line.error();
    Json msg = parse_message(*line);
    if (msg.is_object() && msg.value("type", std::string{}) == "event") {
      events_.push_back(std::move(msg));
    }
  }
  Json e = std::move(events_.front());
  events_.pop_front();
  return e.value("event", Json::object());
}

}  // namespace lab::net
