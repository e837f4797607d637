// The coordinator's protocol operations (docs/PROTOCOL.md, "Operations").
// Policies have already decided who the caller is and that it may run the
// operation; what remains here is the work and its object-level rules.
#include <algorithm>

#include "coordinator/coordinator.h"
#include "core/json_fields.h"
#include "core/json_text.h"

namespace lab::coordinator {
namespace {

bool is_privileged(Role role) { return role == Role::kAdmin || role == Role::kCoordinator; }

// The read operations answer with text written straight from the stored
// values: no tree per task, the hot path's main cost otherwise.
// One stored project or task as the answer, written as text.
template <class Item>
Reply streamed(const Item& item) {
  JsonTextWriter w;
  write_json(w, item);
  return Reply::serialized(w.take());
}

template <class Item>
void write_list(JsonTextWriter& w, std::string_view name, const std::vector<Item>& items) {
  w.key(name);
  w.begin_array();
  for (const auto& item : items) write_json(w, item);
  w.end_array();
}

// The tasks `filter` selects, written straight from the store (no copy of each task).
void write_tasks(JsonTextWriter& w, const store::TaskStore& tasks, const store::TaskFilter& filter) {
  w.key("tasks");
  tasks.write_tasks(filter, w);
}

}  // namespace

Result<Reply> Coordinator::op_login(const Caller&, const Request& request, const RequestOrigin& origin) {
  auto session = parts_.sessions->login(request, origin);
  if (!session) return session;
  if (parts_.options.stage > 0) (*session)["stage"] = parts_.options.stage;
  const Caller caller{session->value("agent_id", ""),
                      role_from_string(session->value("role", "")).value_or(Role::kObserver),
                      session->value("session_id", ""), true};
  publish("session_created", caller, request, origin, Json{{"client_chosen_id", session->value("adopted", false)}});
  return session;
}

Result<Reply> Coordinator::op_logout(const Caller& caller, const Request& request, const RequestOrigin& origin) {
  auto result = parts_.sessions->logout(caller, request);
  if (result) publish("session_ended", caller, request, origin, Json::object());
  return result;
}

Result<Reply> Coordinator::op_register_worker(const Caller& caller, const Request& request,
                                             const RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto specialties, fields::optional_specialties(request.payload, "specialties"));
  if (!specialties || specialties->empty()) {
    return Error{ErrorCode::kMissingField, "payload.specialties must list at least one specialty"};
  }
  AgentInfo agent = agents_.set_specialties(caller.agent_id, std::move(*specialties));
  Json data = to_json(agent);
  publish("worker_registered", caller, request, origin, data);
  return data;
}

Result<Reply> Coordinator::op_create_project(const Caller& caller, const Request& request,
                                            const RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto name, fields::required_string(request.payload, "name"));
  LAB_ASSIGN_OR_RETURN(auto description, fields::optional_string(request.payload, "description"));
  LAB_ASSIGN_OR_RETURN(auto metadata, fields::optional_object(request.payload, "metadata"));
  Project project = tasks_.create_project(
      store::ProjectDraft{std::move(name), description.value_or(""), metadata.value_or(Json::object())}, caller.agent_id,
      unix_seconds(clock_.now()));
  publish("project_created", caller, request, origin, Json{{"project_id", project.id}, {"name", project.name}});
  return streamed(project);
}

Result<Reply> Coordinator::op_list_projects(const Caller&, const Request&, const RequestOrigin&) {
  JsonTextWriter w;
  w.begin_object();
  write_list(w, "projects", tasks_.list_projects());
  w.end_object();
  return Reply::serialized(w.take());
}

Result<Reply> Coordinator::op_get_project(const Caller&, const Request& request, const RequestOrigin&) {
  LAB_ASSIGN_OR_RETURN(auto id, fields::required_string(request.payload, "project_id"));
  LAB_ASSIGN_OR_RETURN(auto project, tasks_.get_project(id));
  JsonTextWriter w;
  w.begin_object();
  w.key("project");
  write_json(w, project);
  write_tasks(w, tasks_, store::TaskFilter{.project_id = id});
  w.end_object();
  return Reply::serialized(w.take());
}

Result<Reply> Coordinator::op_create_task(const Caller& caller, const Request& request, const RequestOrigin& origin) {
  store::TaskDraft draft;
  LAB_ASSIGN_OR_RETURN(draft.project_id, fields::required_string(request.payload, "project_id"));
  LAB_ASSIGN_OR_RETURN(draft.specialty, fields::required_specialty(request.payload, "specialty"));
  LAB_ASSIGN_OR_RETURN(draft.description, fields::required_string(request.payload, "description"));
  LAB_ASSIGN_OR_RETURN(auto input, fields::optional_string(request.payload, "input"));
  LAB_ASSIGN_OR_RETURN(auto priority, fields::optional_integer(request.payload, "priority"));
  draft.input = input.value_or("");
  draft.priority = static_cast<int>(std::clamp<std::int64_t>(priority.value_or(0), -1000000, 1000000));
  if (parts_.options.object_checks) {
    LAB_ASSIGN_OR_RETURN(auto project, tasks_.get_project(draft.project_id));
    if (project.owner != caller.agent_id && caller.role != Role::kAdmin) {
      return Error{ErrorCode::kPermissionDenied, "only the project's owner adds tasks to it"};
    }
  }
  LAB_ASSIGN_OR_RETURN(auto task, tasks_.create_task(std::move(draft), parts_.options.max_tasks_per_project));
  publish("task_created", caller, request, origin,
          Json{{"task_id", task.id}, {"project_id", task.project_id}, {"specialty", to_string(task.specialty)}});
  return streamed(task);
}

Result<Reply> Coordinator::op_list_tasks(const Caller&, const Request& request, const RequestOrigin&) {
  store::TaskFilter filter;
  LAB_ASSIGN_OR_RETURN(filter.project_id, fields::optional_string(request.payload, "project_id"));
  LAB_ASSIGN_OR_RETURN(filter.status, fields::optional_status(request.payload, "status"));
  LAB_ASSIGN_OR_RETURN(filter.specialty, fields::optional_specialty(request.payload, "specialty"));
  LAB_ASSIGN_OR_RETURN(filter.assignee, fields::optional_string(request.payload, "assignee"));
  JsonTextWriter w;
  w.begin_object();
  write_tasks(w, tasks_, filter);
  w.end_object();
  return Reply::serialized(w.take());
}

Result<Reply> Coordinator::op_claim_task(const Caller& caller, const Request& request, const RequestOrigin& origin) {
  store::ClaimRequest claim;
  LAB_ASSIGN_OR_RETURN(claim.task_id, fields::required_string(request.payload, "task_id"));
  claim.agent_id = caller.agent_id;
  if (parts_.options.object_checks) {
    const auto agent = agents_.find(caller.agent_id);
    claim.agent_specialties = agent ? agent->specialties : std::vector<Specialty>{};
  }
  LAB_ASSIGN_OR_RETURN(auto task, tasks_.claim(claim));
  publish("task_claimed", caller, request, origin,
          Json{{"task_id", task.id},
               {"project_id", task.project_id},
               {"status", to_string(task.status)},
               {"assignee", task.assignee},
               {"version", task.version}});
  return streamed(task);
}

Result<Reply> Coordinator::op_update_task_status(const Caller& caller, const Request& request,
                                                const RequestOrigin& origin) {
  store::StatusUpdate update;
  LAB_ASSIGN_OR_RETURN(update.task_id, fields::required_string(request.payload, "task_id"));
  LAB_ASSIGN_OR_RETURN(update.status, fields::required_status(request.payload, "status"));
  LAB_ASSIGN_OR_RETURN(auto expected, fields::optional_integer(request.payload, "expected_version"));
  if (auto it = request.payload.find("result"); it != request.payload.end() && !it->is_null()) update.result = *it;
  if (parts_.options.check_versions && expected) update.expected_version = static_cast<std::uint64_t>(*expected);
  if (parts_.options.object_checks && !is_privileged(caller.role)) update.required_assignee = caller.agent_id;
  update.enforce_transitions = parts_.options.validation.enforce_transitions;
  LAB_ASSIGN_OR_RETURN(auto task, tasks_.update_status(update));
  publish("task_status_changed", caller, request, origin,
          Json{{"task_id", task.id},
               {"project_id", task.project_id},
               {"status", to_string(task.status)},
               {"assignee", task.assignee},
               {"version", task.version}});
  return streamed(task);
}

Result<Reply> Coordinator::op_get_session_info(const Caller& caller, const Request& request, const RequestOrigin&) {
  return parts_.sessions->session_info(caller, request);
}

Result<Reply> Coordinator::op_change_role(const Caller& caller, const Request& request, const RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto role, fields::required_role(request.payload, "role"));
  const auto before = agents_.find(agent_id);
  agents_.set_role(agent_id, role);
  parts_.sessions->on_role_changed(agent_id, role);
  Json data{{"agent_id", agent_id},
            {"role", to_string(role)},
            {"previous_role", before ? Json(to_string(before->role)) : Json()}};
  publish("role_changed", caller, request, origin, data);
  return data;
}

Result<Reply> Coordinator::op_subscribe_events(const Caller& caller, const Request& request,
                                              const RequestOrigin& origin) {
  if (!origin.event_stream) return Error{ErrorCode::kInvalidRequest, "this connection cannot receive events"};
  events_.subscribe(origin.event_stream());
  publish("subscribed", caller, request, origin, Json::object());
  return Json{{"subscribed", true}};
}

}  // namespace lab::coordinator

namespace lab::coordinator {

Result<Reply> Coordinator::op_list_sessions(const Caller& caller, const Request&, const RequestOrigin&) {
  return parts_.sessions->list_sessions(caller);
}

Result<Reply> Coordinator::op_revoke_session(const Caller& caller, const Request& request,
                                             const RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto fingerprint, fields::required_string(request.payload, "session"));
  auto revoked = parts_.sessions->revoke(caller, fingerprint);
  if (revoked) publish("session_revoked", caller, request, origin, Json{{"session", fingerprint}, {"revoked", revoked->value("revoked", 0)}});
  return revoked;
}

Result<Reply> Coordinator::op_enroll_agent(const Caller& caller, const Request& request,
                                           const RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto specialties, fields::optional_specialties(request.payload, "specialties"));
  if (!specialties || specialties->empty()) {
    return Error{ErrorCode::kMissingField, "payload.specialties must list at least one specialty"};
  }
  LAB_ASSIGN_OR_RETURN(auto password, parts_.sessions->enroll(caller, agent_id));
  agents_.role_or_create(agent_id, Role::kWorker);
  Json data = to_json(agents_.set_specialties(agent_id, std::move(*specialties)));
  publish("agent_enrolled", caller, request, origin, data);  // the password never goes into an event
  data["password"] = std::move(password);
  return data;
}

Result<Reply> Coordinator::op_migrate_session(const Caller& caller, const Request& request,
                                             const RequestOrigin& origin) {
  auto moved = parts_.sessions->migrate(caller, request, origin);
  if (moved) {
    publish("session_migrated", caller, request, origin,
            Json{{"from", caller.bound_address()}, {"to", origin.peer.address}});
  }
  return moved;
}

Result<Reply> Coordinator::op_backup_state(const Caller& caller, const Request& request, const RequestOrigin& origin) {
  const auto& dir = parts_.options.backup_dir;
  if (dir.empty()) return Error{ErrorCode::kInvalidRequest, "this stage keeps no durable state that can be backed up"};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kInternalError, "the backup directory cannot be created"};
  // The server names the file (a peer never chooses a path): the time of the copy, to the millisecond.
  const auto now = unix_millis(clock_.now());
  const std::string name = "state-" + std::to_string(now) + ".db";
  auto sequence = parts_.stores->backup_to(dir / name);
  if (!sequence) return sequence.error();
  Json data{{"backup", name}, {"sequence", *sequence}, {"bytes", std::filesystem::file_size(dir / name, ec)}};
  publish("state_backed_up", caller, request, origin, data);
  return data;
}

}  // namespace lab::coordinator
