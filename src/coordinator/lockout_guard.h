// LockoutGuard: a login for an account locked by too many failed attempts is
// refused before its password is hashed (ACCOUNT_LOCKED with the time left),
// so guessing costs the attacker the wait and the server nothing. The session
// policy records each login's outcome in the same ledger (in the process, or in Redis on stage 4).
#pragma once

#include "coordinator/policy_guards.h"
#include "security/lockout_ledger.h"

namespace lab::coordinator {

class LockoutGuard final : public LabelledGuard {
 public:
  LockoutGuard(const security::LockoutLedger& lockout, ControlLabel label)
      : LabelledGuard(std::move(label)), lockout_(lockout) {}
  Phase phase() const override { return Phase::kBeforeAuthentication; }
  Verdict check(GuardContext& context) override {
    if (context.permission != Permission::kSessionOpen) return std::nullopt;
    const auto account = context.request.payload.find("agent_id");
    if (account == context.request.payload.end() || !account->is_string()) return std::nullopt;
    // FIX V-026: five failed logins in a row lock the account for 15 minutes, checked before any hashing.
    const auto left = lockout_.locked_for(account->get_ref<const std::string&>());
    if (!left) return std::nullopt;
    return Rejection{Error{ErrorCode::kAccountLocked, "too many failed logins; retry after " +
                                                          std::to_string(left->count()) + " ms"},
                     "login for locked account " + account->get<std::string>()};
  }

 private:
  const security::LockoutLedger& lockout_;
};

}  // namespace lab::coordinator
