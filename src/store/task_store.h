// TaskStore: where projects and tasks live. The store issues their ids, and
// ids stay unique across every coordinator sharing one store; every change is
// one call, atomic on its own (a claim cannot be lost to a concurrent claim).
//
// Every task carries a version that every change bumps, so callers can do
// optimistic concurrency (expected_version). Whether a stage *uses* that is the
// stage's choice; the store itself never loses an update to a data race.
// Thread safety: every implementation may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/json_text.h"
#include "core/result.h"

namespace lab::store {

struct ProjectDraft {
  std::string name;
  std::string description;
  Json metadata = Json::object();
};

struct TaskDraft {
  std::string project_id;
  Specialty specialty = Specialty::kDataAnalysis;
  std::string description;
  std::string input;
  int priority = 0;
};

struct TaskFilter {
  std::optional<std::string> project_id;
  std::optional<TaskStatus> status;
  std::optional<Specialty> specialty;
  std::optional<std::string> assignee;
};

struct ClaimRequest {
  std::string task_id;
  std::string agent_id;
  // When set, the task's specialty must be one of these.
  std::optional<std::vector<Specialty>> agent_specialties;
};

struct StatusUpdate {
  std::string task_id;
  TaskStatus status = TaskStatus::kWorking;
  std::optional<Json> result;
  // When set, the update applies only if the task is still at this version.
  std::optional<std::uint64_t> expected_version;
  // When set, only this agent (the assignee) may update the task.
  std::optional<std::string> required_assignee;
  // When true, the A2A state machine is enforced.
  bool enforce_transitions = true;
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  virtual Project create_project(ProjectDraft draft, std::string owner, std::int64_t now) = 0;
  virtual std::vector<Project> list_projects() const = 0;  // in creation order
  virtual Result<Project> get_project(const std::string& id) const = 0;

  // `max_tasks_in_project` > 0 refuses a task that would pass that many in its project.
  virtual Result<Task> create_task(TaskDraft draft, std::size_t max_tasks_in_project = 0) = 0;
  virtual Result<Task> get_task(const std::string& id) const = 0;
  virtual std::vector<Task> list_tasks(const TaskFilter& filter) const = 0;  // in creation order
  // Calls `visit` for each task `filter` selects, in creation order, without copying it out: an answer is written
  // as the tasks are read. `visit` must not call the store. This default copies them (list_tasks) first.
  virtual void for_each_task(const TaskFilter& filter, const std::function<void(const Task&)>& visit) const {
    for (const Task& t : list_tasks(filter)) visit(t);
  }
  // Writes the tasks `filter` selects into `w` as a JSON array, in creation order. This default writes each one
  // as it is read; a store may keep each task's text from its last change instead, the same bytes.
  virtual void write_tasks(const TaskFilter& filter, JsonTextWriter& w) const {
    w.begin_array();
    for_each_task(filter, [&w](const Task& t) { write_json(w, t); });
    w.end_array();
  }

  // submitted -> working with assignee set, atomically.
  virtual Result<Task> claim(const ClaimRequest& request) = 0;
  virtual Result<Task> update_status(const StatusUpdate& update) = 0;

  virtual std::size_t project_count() const = 0;
  virtual std::size_t task_count() const = 0;
};

}  // namespace lab::store
