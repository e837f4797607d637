// AddressBindingGuard: a session is used only from the address it was issued
// to (Caller::bound_address(), set by the session policy). Enforced, it rejects
// the request; in shadow mode it only records the mismatch — stage 2's "the IP
// is checked but only logged" is exactly this guard in shadow mode.
#pragma once

#include "coordinator/guard.h"

namespace lab::coordinator {

class AddressBindingGuard final : public Guard {
 public:
  std::string_view name() const override { return "address-binding"; }
  Phase phase() const override { return Phase::kBinding; }
  std::vector<std::string> fixes() const override { return {"V-004"}; }
  Verdict check(GuardContext& context) override {
    const auto& caller = context.caller;
    // FIX V-004: a session presented from another address than the one it was issued to is refused.
    if (!caller || caller->bound_address().empty() || caller->bound_address() == context.origin.peer.address) {
      return std::nullopt;
    }
    return Rejection{Error{ErrorCode::kAuthFailed, "this session belongs to another client"},
                     "session of " + caller->agent_id + " used from " + context.origin.peer.address +
                         " (logged in from " + caller->bound_address() + ")"};
  }
};

}  // namespace lab::coordinator
