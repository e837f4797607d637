// The seams where stages differ. A stage is the coordinator's shared
// operations composed with one implementation of each policy below.
#pragma once

#include <cstddef>
#include <string_view>

#include "coordinator/caller.h"
#include "coordinator/permission.h"
#include "core/envelope.h"
#include "core/result.h"

namespace lab::coordinator {

// Sessions: who is calling, how sessions start, end and are described.
class SessionPolicy {
 public:
  virtual ~SessionPolicy() = default;
  // Decides the caller of every request except login.
  virtual Result<Caller> authenticate(const Request& request, const RequestOrigin& origin) = 0;
  // Returns the login response data; must contain "session_id", "agent_id", "role".
  virtual Result<Json> login(const Request& request, const RequestOrigin& origin) = 0;
  virtual Result<Json> logout(const Caller& caller, const Request& request) = 0;
  virtual Result<Json> session_info(const Caller& caller, const Request& request) = 0;
  // An agent's role was changed by change_role.
  virtual void on_role_changed(const std::string& agent_id, Role new_role) = 0;
  // Every control passed for this caller's request (it is about to run): the moment a stage that
  // counts activity only for accepted requests records it.
  virtual void on_accepted(const Caller&) {}
  // Session monitoring: every live session with its bindings and last activity (never an id).
  virtual Result<Json> list_sessions(const Caller&) {
    return Error{ErrorCode::kUnknownType, "this stage offers no session monitoring"};
  }
  // Ends the live sessions whose fingerprint (the start of the stored id, as list_sessions shows it) is
  // `fingerprint`: an admin's revoke.
  virtual Result<Json> revoke(const Caller&, const std::string& /*fingerprint*/) {
    return Error{ErrorCode::kUnknownType, "this stage offers no session revocation"};
  }
  // A new worker account `agent_id` (a coordinator's or an admin's doing): returns its password, made here and
  // shown once; the stage keeps only its hash.
  virtual Result<std::string> enroll(const Caller&, const std::string& /*agent_id*/) {
    return Error{ErrorCode::kUnknownType, "this stage offers no agent enrollment"};
  }
  // Secure session migration: the caller's session moves to the connection this request came over, under a new
  // id. The stage decides what the agent must prove first.
  virtual Result<Json> migrate(const Caller&, const Request&, const RequestOrigin&) {
    return Error{ErrorCode::kUnknownType, "this stage offers no session migration"};
  }
};

// Function-level authorization: may this caller use the permission the
// operation needs (its row in the coordinator's operation table)?
class AccessPolicy {
 public:
  virtual ~AccessPolicy() = default;
  virtual Status authorize(const Caller& caller, Permission permission) = 0;
};

// Input rules: how large a message may be and whether task state changes
// follow the A2A state machine. Content rules beyond the types are a payload
// guard in the stage's chain (PayloadRulesGuard).
struct ValidationPolicy {
  std::size_t max_line_bytes = 1 << 20;  // 0 means no limit
  bool enforce_transitions = true;

  static ValidationPolicy none() { return ValidationPolicy{0, false}; }
};

}  // namespace lab::coordinator
