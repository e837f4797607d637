#include "client/session.h"

#include "core/file_io.h"

namespace lab::client {

Result<Json> login(net::ProtocolClient& client, int stage, const Identity& identity) {
  const ClientProfile& profile = profile_for(stage);
  client.session_id.reset();
  client.hook = nullptr;
  if (auto ready = profile.before_login(client, identity); !ready) return ready.error();
  auto data = client.call("login", profile.login_payload(identity));
  if (!data && data.error().code == ErrorCode::kMissingField) {
    // The coordinator wants a login field this stage's client does not send: most likely another stage.
    return Error{data.error().code, data.error().message + " (is the coordinator another stage than stage " +
                                        std::to_string(stage) + "? each stage logs in its own way)"};
  }
  if (!data) return data.error();
  // The coordinator says which stage it is: a client made for another stage stops here, before it signs or sends
  // anything the way the wrong stage expects.
  if (const auto told = data->find("stage"); told != data->end() && told->is_number_integer() && *told != stage) {
    return Error{ErrorCode::kInvalidRequest, "this coordinator is stage " + told->dump() + ", not stage " +
                                                 std::to_string(stage) + ": connect with --stage " + told->dump()};
  }
  client.session_id = data->value("session_id", std::string{});
  if (auto ready = profile.after_login(client, *data, identity); !ready) return ready.error();
  return data;
}

Result<Json> migrate_session(net::ProtocolClient& client, int stage, const Identity& identity,
                             const std::string& session_id) {
  const ClientProfile& profile = profile_for(stage);
  client.hook = nullptr;
  if (auto ready = profile.before_login(client, identity); !ready) return ready.error();
  client.session_id = session_id;
  Json payload = Json::object();
  if (profile.uses_certificates()) payload["certificate"] = read_file(identity.certificate_file).value_or("");
  auto data = client.call("migrate_session", payload);
  if (!data) {
    client.session_id.reset();
    return data.error();
  }
  client.session_id = data->value("session_id", std::string{});
  if (auto ready = profile.after_login(client, *data, identity); !ready) return ready.error();
  return data;
}

Result<std::unique_ptr<net::ProtocolClient>> open_connection(const net::ClientOptions& endpoint) {
  auto client = std::make_unique<net::ProtocolClient>();
  if (auto s = client->connect(endpoint); !s) return s.error();
  return client;
}

Result<std::unique_ptr<net::ProtocolClient>> open_connection_as(int stage, const net::ClientOptions& endpoint,
                                                                Identity& identity) {
  return open_connection(profile_for(stage).connection_for(endpoint, identity));
}

Result<std::unique_ptr<net::ProtocolClient>> open_session(int stage, const net::ClientOptions& endpoint,
                                                          const Identity& identity) {
  Identity who = identity;
  auto client = open_connection_as(stage, endpoint, who);
  if (!client) return client.error();
  if (auto r = login(**client, stage, who); !r) return r.error();
  return std::move(client).value();
}

}  // namespace lab::client
