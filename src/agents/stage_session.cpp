#include "agents/stage_session.h"

#include "core/clock.h"
#include "embedded/embedded_files.h"
#include "security/request_signature.h"

namespace lab::agents {

std::string lab_password(const std::string& agent_id) {
  const Json doc = Json::parse(embedded::file("sample_data/valid_credentials.json").value_or("{}"), nullptr, false);
  if (doc.is_discarded()) return {};
  for (const auto& u : doc.value("users", Json::array())) {
    if (u.value("agent_id", "") == agent_id) return u.value("password", "");
  }
  return {};
}

Result<Json> login(net::ProtocolClient& client, int stage, const Identity& identity) {
  Json payload{{"agent_id", identity.agent_id}};
  if (identity.claims_role) payload["role"] = to_string(identity.role);
  if (stage >= 2) payload["password"] = identity.password;
  client.session_id.reset();
  client.hook = nullptr;
  auto data = client.call("login", std::move(payload));
  if (!data) return data.error();
  client.session_id = data->value("session_id", std::string{});
  if (const std::string key_hex = data->value("signing_key", ""); !key_hex.empty()) {
    auto key = security::Key256::from_hex(key_hex);
    if (!key) return Error{ErrorCode::kInvalidField, "the login response's signing_key is not a 256-bit hex key"};
    client.hook = [key = *key, agent = data->value("agent_id", identity.agent_id)](Json& request) {
      if (request.value("type", "") == "login") return;
      security::sign_request(request, key, agent, unix_seconds(system_clock().now()));
    };
  }
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
