// WebProtocolClient: an agent's side of stage 5 — the protocol's operations (call("claim_task", {...})) carried
// over the REST API, signed in with a password, authenticated by the bearer token and the fingerprint cookie of
// that sign-in, and refreshed once when the token has expired. It answers like net::ProtocolClient (the data, or
// the server's error with its code), so an agent written for the line protocol works against the web stage.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/domain.h"
#include "core/result.h"
#include "client/coordinator_channel.h"
#include "net/line_client.h"
#include "web/browser_client.h"

namespace lab::web {

class WebProtocolClient final : public client::CoordinatorChannel {
 public:
  static Result<std::unique_ptr<WebProtocolClient>> sign_in(HttpsClientOptions endpoint, std::string_view agent_id,
                                                            std::string_view password);
  // The same, for an agent given a line-protocol endpoint (host, port, and the CA and server name of its TLS).
  static Result<std::unique_ptr<client::CoordinatorChannel>> sign_in(const net::ClientOptions& endpoint,
                                                                     std::string_view agent_id,
                                                                     std::string_view password);

  Result<Json> call(std::string_view type, Json payload = Json::object()) override;

 private:
  explicit WebProtocolClient(HttpsClientOptions endpoint) : browser_(std::move(endpoint)) {}
  Result<Json> send(std::string_view type, const Json& payload);
  Status take_token(const HttpResponse& response);

  BrowserClient browser_;
  std::string access_token_;
};

}  // namespace lab::web
