#include "coordinator/permission.h"

#include "core/enum_names.h"

namespace lab::coordinator {
namespace {

constexpr NameTable<Permission, 17> kNames{{
    {Permission::kSessionOpen, "session:open"},
    {Permission::kSessionEnd, "session:end"},
    {Permission::kSessionRead, "session:read"},
    {Permission::kAgentRegister, "agent:register"},
    {Permission::kProjectCreate, "project:create"},
    {Permission::kProjectRead, "project:read"},
    {Permission::kTaskCreate, "task:create"},
    {Permission::kTaskRead, "task:read"},
    {Permission::kTaskClaim, "task:claim"},
    {Permission::kTaskUpdate, "task:update"},
    {Permission::kRoleChange, "role:change"},
    {Permission::kEventsSubscribe, "events:subscribe"},
    {Permission::kSessionMonitor, "session:monitor"},
    {Permission::kSessionMigrate, "session:migrate"},
    {Permission::kStateBackup, "state:backup"},
    {Permission::kSessionRevoke, "session:revoke"},
    {Permission::kAgentEnroll, "agent:enroll"},
}};

}  // namespace

std::string_view to_string(Permission permission) { return name_of(kNames, permission, "?"); }

std::optional<Permission> permission_from_string(std::string_view name) { return value_of(kNames, name); }

}  // namespace lab::coordinator
