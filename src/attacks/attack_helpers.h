// Small pieces several attacks share: error text, prepared (signed) request
// lines, reading back tasks, and searching a stage's files on disk.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "attacks/tcp_relay.h"

namespace lab::attacks {

// "CODE message", for evidence.
std::string describe(const Error& error);

// The request `client` would send for `type`/`payload`, after its hook ran
// (later stages sign there), without sending it.
Json prepared_request(net::ProtocolClient& client, std::string_view type, Json payload);

// Wraps `client.hook` (the existing hook runs first) so that every final
// request line is appended to the returned list.
std::shared_ptr<std::vector<std::string>> capture_requests(net::ProtocolClient& client);

// Sends `line` as is and returns the next response object (events skipped).
Result<Json> send_line_for_response(net::ProtocolClient& client, std::string_view line);

// Where `identity` connects to the target's stage: with its own certificate where the stage uses certificates
// (ClientProfile::connection_for), the target's endpoint elsewhere.
net::ClientOptions endpoint_as(const Target& target, client::Identity identity);

// Closes `client`'s connection and opens a fresh one the way `identity` connects (endpoint_as), keeping the
// session and the signing hook: the same agent, address and certificate on a connection no idle deadline has
// run on yet.
Status reconnect_as(net::ProtocolClient& client, const Target& target, const client::Identity& identity);

// The same stage reached through its other coordinator instance (stage 4: another process sharing the state,
// where the balancer may send any request); nullopt where the stage is one process.
std::optional<Target> other_instance_of(const Target& target);

// Does `client.call(type, payload)`; when the connection is gone, reconnects
// to `endpoint` (keeping session and hook) and tries once more.
Result<Json> call_reconnecting(net::ProtocolClient& client, const net::ClientOptions& endpoint,
                               std::string_view type, Json payload);

// Creates a probe project through `client`; the owner the server recorded, or its error.
Result<std::string> owner_of_new_project(net::ProtocolClient& client, const std::string& name);

// What a thief holds of someone's session: its id and, where the stage gives one, the session's signing key.
struct StolenSession {
  std::string session_id;
  std::string signing_key_hex;  // stage 2's per-session HMAC key; empty where there is none
  std::string agent_id;         // whom the session belongs to (what the signature names)
};
// From another host (from_other_host), a create_project under the stolen session, signed with its key when there is
// one. The server's response object, whatever it says.
Result<Json> create_project_with(const Target& target, const StolenSession& stolen, const std::string& name);

// Tasks of `project_id` with this description, as `client` sees them.
Result<std::vector<Json>> tasks_with_description(net::ProtocolClient& client, const std::string& project_id,
                                                 const std::string& description);

// The victim logged in, with a project whose description is a secret only it knows ("merger terms <tag>"):
// what an attack on stored state looks for.
struct VictimWithSecret {
  client::Identity identity;
  std::unique_ptr<net::ProtocolClient> client;
  std::string secret;
  std::string session_id;
};
// On failure, the error message says which step failed (setup, not an attack outcome).
Result<VictimWithSecret> victim_with_secret_project(const Target& target);

// A replay's material: the victim logged in, one of its projects, and the line of the create_task it just sent
// there (signed where the stage signs), captured as sent.
struct CapturedCreateTask {
  client::Identity identity;
  std::unique_ptr<net::ProtocolClient> victim;
  std::string project_id;
  std::string description;  // unique to this run: the tasks a replay made carry it too
  std::string line;
};
Result<CapturedCreateTask> capture_victim_create_task(const Target& target, const std::string& label);
// The verdict on a replay of `captured.line` answered `replayed`, where `where` says where the copy went:
// exploited when the project now holds two tasks of the description.
AttackResult replay_verdict(const CapturedCreateTask& captured, const Result<Json>& replayed, const std::string& where);

struct FileHit {
  std::filesystem::path file;
  std::string needle;
};

// Scans every regular file under `dir` (recursively) until each needle was
// found in some file or `timeout` passed; returns the hits of the last scan.
std::vector<FileHit> wait_for_files_containing(const std::filesystem::path& dir,
                                               const std::vector<std::string>& needles,
                                               std::chrono::milliseconds timeout);

// A victim logged in through a recording relay on 127.0.0.3 (an on-path attacker's view of its traffic).
struct RelayedVictim {
  std::unique_ptr<TcpRelay> relay;
  std::unique_ptr<net::ProtocolClient> client;
  net::ClientOptions via;  // the relay's endpoint
};
// On failure, the error message says which step failed (setup, not an attack outcome).
Result<RelayedVictim> victim_through_relay(const Target& target);


}  // namespace lab::attacks
