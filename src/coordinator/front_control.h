// FrontControl: a connection-phase control. The front enforces it while it
// frames messages, before there is a request to run a chain on (a message
// size limit must bound memory as the bytes arrive), so check() never runs.
// It sits in the chain all the same: `lab controls` lists it, its refusals are
// counted (the front names it when it reports one), and switching it off
// (`--disable-control NAME`) reaches the front's options.
#pragma once

#include <functional>
#include <utility>

#include "coordinator/policy_guards.h"
#include "net/line_server.h"

namespace lab::coordinator {

class FrontControl final : public LabelledGuard {
 public:
  // `refusal`: the code of the front's refusals this control accounts for.
  // `switch_off`: changes the front's options so that the control no longer holds.
  FrontControl(ControlLabel label, ErrorCode refusal, std::function<void(net::LineServerOptions&)> switch_off)
      : LabelledGuard(std::move(label)), refusal_(refusal), switch_off_(std::move(switch_off)) {}

  Phase phase() const override { return Phase::kConnection; }
  Verdict check(GuardContext&) override { return std::nullopt; }
  ErrorCode refusal() const { return refusal_; }
  void switch_off(net::LineServerOptions& options) const { switch_off_(options); }

 private:
  ErrorCode refusal_;
  std::function<void(net::LineServerOptions&)> switch_off_;
};

}  // namespace lab::coordinator
