// NonceGuard: a signed request is accepted once. Its (certificate, nonce)
// pair must be new to the stage's NonceStore and its creation time within the
// allowed skew and not before the server started. It runs after the
// signature was verified, so nobody can fill the cache with nonces they did
// not sign.
#pragma once

#include "coordinator/policy_guards.h"
#include "security/nonce_store.h"

namespace lab::coordinator {

class NonceGuard final : public LabelledGuard {
 public:
  NonceGuard(security::NonceStore& cache, ControlLabel label) : LabelledGuard(std::move(label)), cache_(cache) {}
  Phase phase() const override { return Phase::kBinding; }
  Verdict check(GuardContext& context) override;

 private:
  security::NonceStore& cache_;
};

}  // namespace lab::coordinator
