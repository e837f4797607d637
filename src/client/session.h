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

// Moves the session `session_id` of `identity` to `client`, a new connection (e.g. from a new address): the
// request proves the agent's key again (stage 3 signs it and sends the certificate). On success `client`
// carries the session under the new id the server issued; the old id has ended.
Result<Json> migrate_session(net::ProtocolClient& client, int stage, const Identity& identity,
                             const std::string& session_id);

// Connects and logs in.
Result<std::unique_ptr<net::ProtocolClient>> open_session(int stage, const net::ClientOptions& endpoint,
                                                          const Identity& identity);

// Connects without logging in.
Result<std::unique_ptr<net::ProtocolClient>> open_connection(const net::ClientOptions& endpoint);

// Connects the way `stage` expects `identity` to (stage 3: over mutual TLS with the identity's own
// certificate) without logging in; fills in what `identity` leaves to the endpoint (ClientProfile::connection_for).
Result<std::unique_ptr<net::ProtocolClient>> open_connection_as(int stage, const net::ClientOptions& endpoint,
                                                                Identity& identity);

}  // namespace lab::client
