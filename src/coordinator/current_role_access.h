// CurrentRoleAccess: role-based access where the role is read from the agent
// directory on every request, not from the session: a promotion or a demotion
// takes effect on the caller's very next request, whatever session it holds.
#pragma once

#include "coordinator/role_permissions.h"
#include "store/agent_store.h"

namespace lab::coordinator {

class CurrentRoleAccess final : public AccessPolicy {
 public:
  CurrentRoleAccess(RolePermissions::Rules rules, const store::AgentStore& agents)
      : rules_(std::move(rules)), agents_(agents) {}

  Status authorize(const Caller& caller, Permission permission) override {
    Caller current = caller;
    // FIX V-011: the role is looked up for every request; a session never carries stale permissions.
    if (const auto info = agents_.find(caller.agent_id)) current.role = info->role;
    return rules_.authorize(current, permission);
  }

 private:
  RolePermissions rules_;
  const store::AgentStore& agents_;
};

}  // namespace lab::coordinator
