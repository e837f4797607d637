#include "coordinator/role_permissions.h"

#include <string>

namespace lab::coordinator {

Status RolePermissions::authorize(const Caller& caller, Permission permission) {
  const auto rule = rules_.find(permission);
  if (rule == rules_.end() || rule->second.contains(caller.role)) return ok_status();
  std::string roles;
  for (Role r : rule->second) roles += (roles.empty() ? "" : " or ") + std::string(to_string(r));
  return Error{ErrorCode::kPermissionDenied, std::string(to_string(permission)) + " needs the role " + roles};
}

}  // namespace lab::coordinator
