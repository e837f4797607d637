// PropertyControl: a control that is a property of how the stage is composed
// (its state sealed in a durable journal, its audit log), not a check of a
// request, so check() never runs. It sits in the chain all the same: `lab
// controls` lists it, `--disable-control NAME` names it, and the stage reads
// the switch while composing (is_switched_off), before the chain exists.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "coordinator/policy_guards.h"

namespace lab::coordinator {

class PropertyControl final : public LabelledGuard {
 public:
  using LabelledGuard::LabelledGuard;
  Phase phase() const override { return Phase::kComposition; }
  Verdict check(GuardContext&) override { return std::nullopt; }
};

// True when the operator switched the control `name` off (`--disable-control NAME`).
inline bool is_switched_off(const std::vector<std::string>& disabled_controls, std::string_view name) {
  return std::find(disabled_controls.begin(), disabled_controls.end(), name) != disabled_controls.end();
}

}  // namespace lab::coordinator
