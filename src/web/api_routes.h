// The REST API as coordinator operations: each route names one protocol operation and how its payload is built
// from the path and the JSON body. The front runs the resulting Request through the same Coordinator (and so
// the same chain of controls) as the line protocol does.
//
//   GET    /api/session                 get_session_info       DELETE /api/session        logout
//   GET    /api/projects                list_projects          POST   /api/projects       create_project
//   GET    /api/projects/{id}           get_project            GET    /api/projects/{id}/tasks  list_tasks
//   POST   /api/projects/{id}/tasks     create_task            POST   /api/tasks/{id}/claim     claim_task
//   GET    /api/tasks?status=&specialty=&project_id=&assignee=   list_tasks
//   POST   /api/tasks/{id}/status       update_task_status     POST   /api/agents/{id}/role     change_role
//   POST   /api/agents/self             register_worker        GET    /api/admin/sessions       list_sessions
//   DELETE /api/admin/sessions/{fingerprint}                    revoke_session
//   POST   /api/agents                   enroll_agent (the new worker's password, shown once)
#pragma once

#include <optional>
#include <string>

#include "core/domain.h"
#include "core/result.h"
#include "web/http_message.h"

namespace lab::web {

struct ApiCall {
  std::string type;  // the protocol operation
  Json payload;
};

// The operation `request` asks for; nullopt when no route matches its method and path. A body that is not a JSON
// object, or nested too deep, is an error.
std::optional<Result<ApiCall>> route_api(const HttpRequest& request);

}  // namespace lab::web
