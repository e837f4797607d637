// What an operation needs the caller to be allowed: one permission per
// operation, named like the design's RBAC ("project:create", "role:change").
// A stage's access rules are data over these (RolePermissions), not string
// compares on operation names.
#pragma once

#include <optional>
#include <string_view>

namespace lab::coordinator {

enum class Permission {
  kSessionOpen,      // login
  kSessionEnd,       // logout
  kSessionRead,      // get_session_info
  kAgentRegister,    // register_worker
  kProjectCreate,    // create_project
  kProjectRead,      // list_projects, get_project
  kTaskCreate,       // create_task
  kTaskRead,         // list_tasks
  kTaskClaim,        // claim_task
  kTaskUpdate,       // update_task_status
  kRoleChange,       // change_role
  kEventsSubscribe,  // subscribe_events
  kSessionMonitor,   // list_sessions: every live session with its bindings
  kSessionMigrate,   // migrate_session: move one's own session to a new connection
  kStateBackup,      // backup_state: an online copy of the durable state
  kSessionRevoke,    // revoke_session: end another agent's session (an admin's)
  kAgentEnroll,      // enroll_agent: give a new worker agent an account, its password shown once
};

std::string_view to_string(Permission permission);
std::optional<Permission> permission_from_string(std::string_view name);

}  // namespace lab::coordinator
