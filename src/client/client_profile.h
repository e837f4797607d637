// ClientProfile: how an agent logs in to one stage and signs what it sends.
// It is the one place that knows what a stage asks of its clients; the worker,
// the auditor, the interactive client, the attacks and the benchmark all go
// through it, so none of them branches on the stage number.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/domain.h"
#include "core/result.h"
#include "net/protocol_client.h"

namespace lab::client {

struct Identity {
  std::string agent_id;
  Role role = Role::kWorker;
  std::string password;     // for stages that check passwords
  bool claims_role = true;  // for stages that believe a claimed role: send it (false takes the role the server holds)
  // Stages with certificates: the agent's certificate and private key (PEM files). Left empty, a profile that
  // needs them takes <agent_id>.crt/.key beside the CA file the endpoint trusts (the layout `lab ca init` writes).
  std::string certificate_file;
  std::string private_key_file;
  std::string client_name = "lab-agent/1.0";  // what the client declares itself to be
  // What a signature's timestamp is read from (tests share a server's manual clock; must outlive the session).
  const Clock* clock = &system_clock();
};

class ClientProfile {
 public:
  virtual ~ClientProfile() = default;
  virtual int stage() const = 0;
  // True when the stage checks a password at login (false: it believes a claimed identity).
  virtual bool checks_passwords() const = 0;
  // True when clients connect with a certificate of the lab CA (mutual TLS): the endpoint must then say
  // which CA to trust (ClientOptions::tls), and agents find their certificates beside it.
  virtual bool uses_certificates() const { return false; }
  // The connection this stage needs for `identity` (stage 3: mutual TLS with the identity's certificate);
  // fills in what `identity` leaves to the endpoint.
  virtual net::ClientOptions connection_for(const net::ClientOptions& endpoint, Identity&) const { return endpoint; }
  // Before the login request is sent (stage 3 signs the login too).
  virtual Status before_login(net::ProtocolClient&, const Identity&) const { return ok_status(); }
  // The login payload for `identity`.
  virtual Json login_payload(const Identity& identity) const = 0;
  // After a successful login: prepares `client` to send what this stage expects
  // on every later request (e.g. installs the signing hook).
  virtual Status after_login(net::ProtocolClient& client, const Json& login_data, const Identity& identity) const = 0;
  // The identity an agent uses here: stage-unique names (`name-tag`) where any
  // identity may be claimed, the lab's users where accounts exist.
  virtual Identity lab_identity(std::string_view claimed_name, std::string_view lab_user, Role role) const = 0;
  // What a client tells its user about connecting here (the menu's banner).
  virtual std::string_view warning() const = 0;
};

// The profile of an implemented stage; stage 1's for any stage it does not know.
const ClientProfile& profile_for(int stage);

// The agent ids of the lab users in the embedded valid_credentials.json (the accounts of stages 2 and 3).
std::vector<std::string> lab_user_ids();

// The password of a lab user in the embedded valid_credentials.json, or empty.
std::string lab_password(std::string_view agent_id);

// The insider of the certificate stages: a certificate from the lab CA, but no account. What an attacker who
// got past mutual TLS (a stolen or mis-issued certificate) can do is what anonymous probes show there.
inline constexpr const char* kInsiderWithoutAccount = "mallory";

// Who gets a certificate from the lab CA: every lab user of valid_credentials.json, and the insider.
std::vector<std::string> lab_certificate_holders();

}  // namespace lab::client
