// Stage 2 access policy: roles exist and are checked — on some operations.
#pragma once

#include "coordinator/policies.h"

namespace lab::stage2 {

class WeakRoleAccess final : public coordinator::AccessPolicy {
 public:
  Status authorize(const coordinator::Caller& caller, std::string_view operation) override {
    const Role r = caller.role;
    if (operation == "create_project" && r != Role::kCoordinator && r != Role::kAdmin) {
      return Error{ErrorCode::kPermissionDenied, "creating projects needs the coordinator or admin role"};
    }
    if (operation == "subscribe_events" && r != Role::kObserver && r != Role::kAdmin) {
      return Error{ErrorCode::kPermissionDenied, "the event stream is for observers and admins"};
    }
    // VULN V-019: partial — only create_project and subscribe_events check a role; create_task, claim_task, update_task_status and the rest check none.
    // change_role is among the unchecked operations: see V-021 where the login reads the role it writes.
    return ok_status();
  }
};

}  // namespace lab::stage2
