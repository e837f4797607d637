// TaskBoard: the shared, thread-safe store of projects and tasks.
//
// Every task carries a version that every change bumps, so callers can do
// optimistic concurrency (expected_version). Whether a stage *uses* that is the
// stage's choice; the board itself never loses an update to a data race.
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain.h"
#include "core/result.h"

namespace lab {

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

class TaskBoard {
 public:
  Project create_project(ProjectDraft draft, std::string owner, std::int64_t now);
  std::vector<Project> list_projects() const;
  Result<Project> get_project(const std::string& id) const;

  // `max_tasks_in_project` > 0 refuses a task that would pass that many in its project.
  Result<Task> create_task(TaskDraft draft, std::size_t max_tasks_in_project = 0);
  Result<Task> get_task(const std::string& id) const;
  std::vector<Task> list_tasks(const TaskFilter& filter) const;  // in creation order

  // submitted -> working with assignee set, atomically.
  Result<Task> claim(const ClaimRequest& request);
  Result<Task> update_status(const StatusUpdate& update);

  std::size_t project_count() const;
  std::size_t task_count() const;

  // Whole-board copy for persistence, and its inverse (replaces the content).
  Json snapshot() const;
  void restore(const Json& snapshot);  // throws on a malformed snapshot, leaving the board unchanged

 private:
  Task* find_task_locked(const std::string& id);

  mutable std::shared_mutex mutex_;
  std::uint64_t next_project_ = 1;
  std::uint64_t next_task_ = 1;
  std::map<std::uint64_t, Project> projects_;             // by creation sequence
  std::unordered_map<std::string, std::uint64_t> project_index_;
  std::map<std::uint64_t, Task> tasks_;                    // by creation sequence
  std::unordered_map<std::string, std::uint64_t> task_index_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> tasks_by_project_;
};

}  // namespace lab
