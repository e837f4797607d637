// Stage 3 sessions. A login proves three things at once: the agent holds the
// private key of a lab-CA certificate naming it (the login request is signed
// with that key, over the same mutual-TLS connection that presented the
// certificate), it knows its password (Argon2id), and the request is fresh
// (nonce, timestamp). It then gets a new 256-bit session id, which the server
// keeps only as a SHA-256, bound to the client address, the certificate and
// the declared client name.
//
// Every later request is validated in a fixed order, each step with its own
// error code: unknown id (AUTH_REQUIRED) -> absolute lifetime
// (SESSION_LIFETIME_EXCEEDED) -> idle timeout (SESSION_EXPIRED); the chain's
// next guards then check the signature, the address, the certificate, the
// client name and the nonce. Activity is recorded only for requests every
// control accepted.
//
// Session monitoring (list_sessions) shows every live session with its
// bindings and last activity, named by a fingerprint, never by an id.
// Migration (migrate_session) moves a session to the connection the request
// came over, for an agent whose address changed: the one request the address
// binding lets through from elsewhere, and only once the agent has proved its
// key again (its certificate in the request, the request signed with that
// key, the certificate the session was issued to). The session gets a new id;
// the old one ends; the absolute lifetime still counts from the login.
//
// At most `max_sessions_per_agent` live sessions per agent: a new login ends
// the agent's oldest session (the agent that logs in is the one that holds the
// certificate and the password, so the newest login wins). A role change ends
// all of the agent's sessions at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "coordinator/policies.h"
#include "core/clock.h"
#include "security/agent_keys.h"
#include "security/login_lockout.h"
#include "security/nonce_cache.h"
#include "security/rate_limiter.h"
#include "security/session_token.h"
#include "stage3_secure/account_roster.h"
#include "store/agent_store.h"
#include "store/session_store.h"

namespace lab::stage3 {

struct SecureSessionOptions {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  std::chrono::milliseconds absolute_timeout = std::chrono::hours(8);
  std::size_t max_sessions_per_agent = 3;
};

// Where the controls that must agree across coordinator instances keep their state: the nonces of accepted
// requests, the rate budgets and the failed-login counts. In the process for stage 3 (`in_process`); in Redis for
// stage 4.
struct SharedControlState {
  std::unique_ptr<security::NonceStore> nonces;
  std::unique_ptr<security::RateBudget> per_address;         // every request, by client address
  std::unique_ptr<security::RateBudget> logins_per_address;  // logins, by client address: the stricter budget
  std::unique_ptr<security::RateBudget> per_agent;           // every request of a session, by agent
  std::unique_ptr<security::LockoutLedger> lockout;          // failed logins per account, and the locks
  // Certificates admitted at login, for the other instances to find (null: this process only).
  std::shared_ptr<security::CertificateShelf> certificates;

  // The budgets of the stage, and their in-process buckets.
  static constexpr security::RateLimitOptions kPerAddress{.per_second = 200, .burst = 400};
  static constexpr security::RateLimitOptions kLoginsPerAddress{.per_second = 1, .burst = 10};
  static constexpr security::RateLimitOptions kPerAgent{.per_second = 100, .burst = 200};
  // `per_agent` and `per_address` replace kPerAgent and kPerAddress (--agent-rate-limit, --address-rate-limit).
  static SharedControlState in_process(const Clock& clock, security::RateLimitOptions per_agent = kPerAgent,
                                       security::RateLimitOptions per_address = kPerAddress);
  // kPerAgent (kPerAddress), or `requests_per_second` with a burst of twice that when it is above zero.
  static security::RateLimitOptions per_agent_limits(int requests_per_second);
  static security::RateLimitOptions per_address_limits(int requests_per_second);
};

// The stage's security state. The session policy owns it; the stage's other
// controls (signature, nonce, rate limits, lockout) refer to the same objects,
// and the policy outlives them in the coordinator.
struct SecurityState {
  SecurityState(std::string ca_certificate_pem, AccountRoster roster, const Clock& clock, SharedControlState shared)
      : accounts(std::move(roster)),
        keys(shared.certificates ? security::AgentKeys(std::move(ca_certificate_pem), shared.certificates, clock)
                                 : security::AgentKeys(std::move(ca_certificate_pem))),
        lockout(std::move(shared.lockout)),
        nonces(std::move(shared.nonces)), per_address(std::move(shared.per_address)),
        logins_per_address(std::move(shared.logins_per_address)), per_agent(std::move(shared.per_agent)) {}
  AccountRoster accounts;
  security::AgentKeys keys;
  std::unique_ptr<security::LockoutLedger> lockout;
  std::unique_ptr<security::NonceStore> nonces;
  std::unique_ptr<security::RateBudget> per_address;
  std::unique_ptr<security::RateBudget> logins_per_address;
  std::unique_ptr<security::RateBudget> per_agent;
};

class SecureSessions final : public coordinator::SessionPolicy {
 public:
  SecureSessions(std::unique_ptr<SecurityState> state, store::SessionStore& sessions, store::AgentStore& agents,
                 SecureSessionOptions options, const Clock& clock);

  Result<coordinator::Caller> authenticate(const Request& request,
                                           const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;
  void on_accepted(const coordinator::Caller& caller) override;
  Result<Json> list_sessions(const coordinator::Caller& caller) override;
  Result<Json> migrate(const coordinator::Caller& caller, const Request& request,
                       const coordinator::RequestOrigin& origin) override;

  // Ends the session `caller` presented (a binding mismatch: whoever presented it may have stolen it).
  void end_session(const coordinator::Caller& caller);
  const SecureSessionOptions& options() const { return options_; }
  SecurityState& state() { return *state_; }

 private:
  // What a login proved: the agent whose certificate key signed it, and the client name it signed.
  struct ProvenKey {
    std::shared_ptr<const security::AdmittedAgent> agent;
    std::string client;
    std::string nonce;  // with the certificate's fingerprint (the key id), what the replay check remembers
    std::int64_t created = 0;
  };
  // The request carries `agent_id`'s lab certificate (the one this connection presented) and is signed with its key.
  Result<ProvenKey> verify_key_signature(const Request& request, const coordinator::RequestOrigin& origin,
                                         const std::string& agent_id);
  // verify_key_signature, and the request's nonce is fresh (a login: no guard of the chain has checked it).
  Result<ProvenKey> prove_key(const Request& request, const coordinator::RequestOrigin& origin,
                              const std::string& agent_id);

  std::unique_ptr<SecurityState> state_;
  store::SessionStore& sessions_;
  store::AgentStore& agents_;
  SecureSessionOptions options_;
  const Clock& clock_;
};

}  // namespace lab::stage3
