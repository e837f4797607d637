// Stage 2 access policy: roles exist and are checked — on two permissions.
// The rules are data: what is not listed is open to every logged-in agent.
#pragma once

#include <memory>

#include "coordinator/role_permissions.h"

namespace lab::stage2 {

inline std::unique_ptr<coordinator::RolePermissions> make_weak_role_access() {
  using coordinator::Permission;
  // VULN V-019: partial — only project:create and events:subscribe name roles; task:create, task:claim, task:update, role:change and the rest are open to every logged-in agent.
  return std::make_unique<coordinator::RolePermissions>(coordinator::RolePermissions::Rules{
      {Permission::kProjectCreate, {Role::kCoordinator, Role::kAdmin}},
      {Permission::kEventsSubscribe, {Role::kObserver, Role::kAdmin}},
  });
}

}  // namespace lab::stage2
