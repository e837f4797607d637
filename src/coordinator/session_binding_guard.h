// SessionBindingGuard: a session is used only where and by whom it was issued
// — the same client address, the same client certificate, the same declared
// client name (Caller::bound_*, set by the session policy at login). A
// mismatch is refused with its own error code and, in stages that say so,
// ends the session at once (`on_mismatch`): whoever holds a stolen id learns
// nothing more from it, and the refusal reaches the auditors as an event.
#pragma once

#include <functional>
#include <string>

#include "coordinator/policy_guards.h"

namespace lab::coordinator {

enum class Binding { kAddress, kCertificate, kClient };

class SessionBindingGuard final : public LabelledGuard {
 public:
  using OnMismatch = std::function<void(const Caller& caller, const std::string& detail)>;
  SessionBindingGuard(Binding binding, ErrorCode refusal, ControlLabel label, OnMismatch on_mismatch = {})
      : LabelledGuard(std::move(label)), binding_(binding), refusal_(refusal), on_mismatch_(std::move(on_mismatch)) {}
  Phase phase() const override { return Phase::kBinding; }
  Verdict check(GuardContext& context) override;

 private:
  Binding binding_;
  ErrorCode refusal_;
  OnMismatch on_mismatch_;
};

}  // namespace lab::coordinator
