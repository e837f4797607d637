// ProtocolClient: requests and responses of the lab protocol over a LineClient.
// Events that arrive while waiting for a response are kept for next_event().
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"
#include "net/line_client.h"

namespace lab::net {

class ProtocolClient {
 public:
  // Called on every outgoing request object just before it is sent (stage 2 signs here).
  using RequestHook = std::function<void(Json& request)>;

  Status connect(const ClientOptions& options);

  // Sends `request` as is and returns the matching response object (status ok
  // or error). Only transport failures are errors here.
  Result<Json> request(Json request);

  // Builds the envelope (type, request_id, session_id, payload) and returns
  // the response's data, or the server's error as an Error with its code.
  Result<Json> call(std::string_view type, Json payload = Json::object());

  // Next pushed event, waiting up to `timeout`.
  Result<Json> next_event(std::chrono::milliseconds timeout);

  // The session presented by call(); login() sets it.
  std::optional<std::string> session_id;
  RequestHook hook;

  std::string next_request_id();
  LineClient& line() { return line_; }

 private:
  LineClient line_;
  std::deque<Json> events_;
  std::string id_prefix_;
  std::uint64_t counter_ = 0;
};

// The server's error response as an Error (code parsed from "code").
Error error_from_response(const Json& response);

}  // namespace lab::net
