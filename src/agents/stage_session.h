// Connecting to a stage's coordinator and logging in, the way each stage
// expects (stage 1: a claimed identity; later stages add credentials).
#pragma once

#include <memory>
#include <string>

#include "core/domain.h"
#include "core/result.h"
#include "net/protocol_client.h"

namespace lab::agents {

struct Identity {
  std::string agent_id;
  Role role = Role::kWorker;
  std::string password;     // unused by stage 1
  bool claims_role = true;  // stage 1: send `role` at login; false takes the role the server holds
};

// Logs in on an open connection and remembers the session in `client`. From
// stage 2 on, the login response carries a signing key and every later
// request of `client` is signed with it (ProtocolClient::hook).
Result<Json> login(net::ProtocolClient& client, int stage, const Identity& identity);

// Connects and logs in.
Result<std::unique_ptr<net::ProtocolClient>> open_session(int stage, const net::ClientOptions& endpoint,
                                                          const Identity& identity);

// The password of a lab user in the embedded valid_credentials.json (stage 2 on), or empty.
std::string lab_password(const std::string& agent_id);

// Connects without logging in.
Result<std::unique_ptr<net::ProtocolClient>> open_connection(const net::ClientOptions& endpoint);

}  // namespace lab::agents
