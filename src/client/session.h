// Connecting to a stage's coordinator and logging in, the way the stage's
// ClientProfile says.
#pragma once

#include <memory>

#include "client/client_profile.h"

namespace lab::client {

// Logs in on an open connection and remembers the session in `client`; from
// then on every request of `client` carries what the stage expects (see
// ClientProfile::after_login).
Result<Json> login(net::ProtocolClient& client, int stage, const Identity& identity);

// Connects and logs in.
Result<std::unique_ptr<net::ProtocolClient>> open_session(int stage, const net::ClientOptions& endpoint,
                                                          const Identity& identity);

// Connects without logging in.
Result<std::unique_ptr<net::ProtocolClient>> open_connection(const net::ClientOptions& endpoint);

}  // namespace lab::client
