#include "agents/stage_session.h"

namespace lab::agents {

Result<Json> login(net::ProtocolClient& client, int stage, const Identity& identity) {
  Json payload{{"agent_id", identity.agent_id}, {"role", to_string(identity.role)}};
  if (stage >= 2) payload["password"] = identity.password;
  client.session_id.reset();
  auto data = client.call("login", std::move(payload));
  if (!data) return data.error();
  client.session_id = data->value("session_id", std::string{});
  return data;
}

Result<std::unique_ptr<net::ProtocolClient>> open_connection(const net::ClientOptions& endpoint) {
  auto client = std::make_unique<net::ProtocolClient>();
  if (auto s = client->connect(endpoint); !s) return s.error();
  return client;
}

Result<std::unique_ptr<net::ProtocolClient>> open_session(int stage, const net::ClientOptions& endpoint,
                                                          const Identity& identity) {
  auto client = open_connection(endpoint);
  if (!client) return client.error();
  if (auto r = login(**client, stage, identity); !r) return r.error();
  return std::move(client).value();
}

}  // namespace lab::agents
