// A guard is one named security control on the request path (Envoy's filter
// chain is the model). It looks at a request, and at what earlier guards found
// (the caller), and either lets it continue or rejects it with a wire error
// for the peer and an audit detail that never leaves the server. A stage is an
// ordered list of guards in phases; each guard names the catalog entries it
// fixes, so `lab controls` can show what a stage is made of and a learner can
// switch exactly one control off.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/caller.h"
#include "coordinator/permission.h"
#include "core/envelope.h"
#include "core/result.h"
#include "security/signed_request.h"

namespace lab::coordinator {

// When a guard runs, in this order.
enum class Phase {
  kConnection,            // while the front frames a message, before a request exists (size limits); the
                          // front enforces these and reports their refusals, the coordinator never runs them
  kBeforeAuthentication,  // before anything is known of the caller (throttles, shape checks)
  kAuthentication,        // who is calling: sets GuardContext::caller
  kBinding,               // is the session used where and by whom it was issued
  kAuthorization,         // may this caller run this operation
  kPayload,               // is the input acceptable
  kComposition,           // how the stage is built (sealed durable state, version checks, an audit log): never
                          // run on a request; the stage reads the switch while composing (PropertyControl)
};
std::string_view to_string(Phase phase);

// enforce: a rejection stops the request. shadow: a rejection is recorded (and
// counted) but the request continues. off: the guard is not consulted.
enum class GuardMode { kEnforce, kShadow, kOff };
std::string_view to_string(GuardMode mode);

// What travels through the chain with one request.
struct GuardContext {
  const Request& request;
  const RequestOrigin& origin;
  Permission permission;         // what the operation needs (its row in the operation table)
  std::optional<Caller> caller;  // set in the authentication phase
  // The request's signed auth block (stage 3), read once by the first guard that asks: signed_auth().
  std::optional<Result<security::AuthBlock>> auth_block = std::nullopt;
};

// The request's auth block, parsed on the first call and kept in the context for the guards after it.
inline const Result<security::AuthBlock>& signed_auth(GuardContext& context) {
  if (!context.auth_block) context.auth_block.emplace(security::read_auth_block(context.request.auth));
  return *context.auth_block;
}

struct Rejection {
  Error error;               // what the peer receives
  std::string audit_detail;  // what the audit log receives (may name the session, the addresses, ...)
};

// nullopt: continue.
using Verdict = std::optional<Rejection>;

class Guard {
 public:
  virtual ~Guard() = default;
  virtual std::string_view name() const = 0;          // kebab-case, unique in a chain
  virtual Phase phase() const = 0;
  virtual std::vector<std::string> fixes() const = 0;  // catalog ids, e.g. {"V-004"}
  virtual Verdict check(GuardContext& context) = 0;
};

}  // namespace lab::coordinator
