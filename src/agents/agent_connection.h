// How the lab's agents (worker, auditor) reach their coordinator: a
// coordinator that is not up yet or went away is tried again, with a growing
// pause; a refusal that trying again cannot change (wrong password, locked
// account, a certificate that is not the agent's, a role without the right)
// stops the agent at once with the reason — every retry of a refused login
// would cost the server a password hash.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "client/session.h"

namespace lab::agents {

// Whether trying again can change the outcome of `error` (the transport failed, the server asked to slow down,
// the session ended and a new login will do).
bool worth_retrying(const Error& error);

// The error an agent stops with when the coordinator refused who it is: the server's reason, and on stages with
// accounts the lab users that exist.
Error credentials_refused(const Error& error, int stage, const client::Identity& identity);

struct ReconnectPolicy {
  int max_attempts = 20;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const std::string&)> log;
};

// Runs `session` (one connected working session of the agent) until it returns success, the agent is told to stop,
// an error not worth retrying comes back (then credentials_refused describes it where the login was refused), or
// max_attempts transport failures in a row.
Status run_reconnecting(int stage, const client::Identity& identity, const ReconnectPolicy& policy,
                        const std::function<Status()>& session);

}  // namespace lab::agents
