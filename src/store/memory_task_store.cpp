#include "store/memory_task_store.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace lab::store {
namespace {

bool matches(const Task& t, const TaskFilter& f) {
  return (!f.project_id || t.project_id == *f.project_id) && (!f.status || t.status == *f.status) &&
         (!f.specialty || t.specialty == *f.specialty) && (!f.assignee || t.assignee == *f.assignee);
}

std::uint64_t sequence_of(const std::string& id, std::string_view prefix) {
  if (id.rfind(prefix, 0) != 0) throw std::invalid_argument("bad id " + id);
  return std::stoull(id.substr(prefix.size()));
}

}  // namespace

void MemoryTaskStore::StoredTask::write_text() {
  JsonTextWriter w;
  write_json(w, task_);
  text_ = w.text();
}

Project MemoryTaskStore::create_project(ProjectDraft draft, std::string owner, std::int64_t now) {
  std::unique_lock lock(mutex_);
  const std::uint64_t seq = next_project_++;
  Project p{"proj_" + std::to_string(seq), std::move(draft.name), std::move(draft.description),
            std::move(owner), now, std::move(draft.metadata)};
  project_index_.emplace(p.id, seq);
  const Project& stored = projects_.emplace(seq, std::move(p)).first->second;
  report(Collection::kProjects, stored.id, to_json(stored));
  return stored;
}

std::vector<Project> MemoryTaskStore::list_projects() const {
  std::shared_lock lock(mutex_);
  std::vector<Project> out;
  out.reserve(projects_.size());
  for (const auto& [seq, p] : projects_) out.push_back(p);
  return out;
}

Result<Project> MemoryTaskStore::get_project(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = project_index_.find(id);
  if (it == project_index_.end()) return Error{ErrorCode::kProjectNotFound, "no project " + id};
  return projects_.at(it->second);
}

Result<Task> MemoryTaskStore::create_task(TaskDraft draft, std::size_t max_tasks_in_project) {
  std::unique_lock lock(mutex_);
  if (!project_index_.contains(draft.project_id)) {
    return Error{ErrorCode::kProjectNotFound, "no project " + draft.project_id};
  }
  if (max_tasks_in_project > 0 && tasks_by_project_[draft.project_id].size() >= max_tasks_in_project) {
    return Error{ErrorCode::kLimitExceeded,
                 draft.project_id + " already holds " + std::to_string(max_tasks_in_project) + " tasks, the limit"};
  }
  const std::uint64_t seq = next_task_++;
  Task t;
  t.id = "task_" + std::to_string(seq);
  t.project_id = std::move(draft.project_id);
  t.specialty = draft.specialty;
  t.description = std::move(draft.description);
  t.input = std::move(draft.input);
  t.priority = draft.priority;
  task_index_.emplace(t.id, seq);
  tasks_by_project_[t.project_id].push_back(seq);
  const Task& stored = tasks_.emplace(seq, std::move(t)).first->second.task();
  report(Collection::kTasks, stored.id, to_json(stored));
  return stored;
}

Result<Task> MemoryTaskStore::get_task(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = task_index_.find(id);
  if (it == task_index_.end()) return Error{ErrorCode::kTaskNotFound, "no task " + id};
  return tasks_.at(it->second).task();
}

std::vector<Task> MemoryTaskStore::list_tasks(const TaskFilter& filter) const {
  std::vector<Task> out;
  for_each_task(filter, [&out](const Task& t) { out.push_back(t); });
  return out;
}

template <class Visit>
void MemoryTaskStore::visit_matching(const TaskFilter& filter, Visit&& visit) const {
  if (filter.project_id) {
    auto it = tasks_by_project_.find(*filter.project_id);
    if (it == tasks_by_project_.end()) return;
    for (auto seq : it->second) {
      const StoredTask& stored = tasks_.at(seq);
      if (matches(stored.task(), filter)) visit(stored);
    }
    return;
  }
  for (const auto& [seq, stored] : tasks_) {
    if (matches(stored.task(), filter)) visit(stored);
  }
}

void MemoryTaskStore::for_each_task(const TaskFilter& filter, const std::function<void(const Task&)>& visit) const {
  std::shared_lock lock(mutex_);
  visit_matching(filter, [&visit](const StoredTask& stored) { visit(stored.task()); });
}

void MemoryTaskStore::write_tasks(const TaskFilter& filter, JsonTextWriter& w) const {
  std::shared_lock lock(mutex_);
  w.begin_array();
  visit_matching(filter, [&w](const StoredTask& stored) { w.object_text(stored.text()); });
  w.end_array();
}

MemoryTaskStore::StoredTask* MemoryTaskStore::find_task_locked(const std::string& id) {
  auto it = task_index_.find(id);
  return it == task_index_.end() ? nullptr : &tasks_.at(it->second);
}

Result<Task> MemoryTaskStore::claim(const ClaimRequest& request) {
  std::unique_lock lock(mutex_);
  StoredTask* stored = find_task_locked(request.task_id);
  if (!stored) return Error{ErrorCode::kTaskNotFound, "no task " + request.task_id};
  const Task* t = &stored->task();
  if (t->status != TaskStatus::kSubmitted) {
    return Error{ErrorCode::kAlreadyClaimed,
                 "task " + t->id + " is " + std::string(to_string(t->status)) + ", not submitted"};
  }
  if (request.agent_specialties) {
    const auto& s = *request.agent_specialties;
    if (std::find(s.begin(), s.end(), t->specialty) == s.end()) {
      return Error{ErrorCode::kSpecialtyMismatch,
                   "task " + t->id + " needs specialty " + std::string(to_string(t->specialty))};
    }
  }
  stored->change([&](Task& changed) {
    changed.status = TaskStatus::kWorking;
    changed.assignee = request.agent_id;
    ++changed.version;
  });
  report(Collection::kTasks, t->id, to_json(*t));
  return *t;
}

Result<Task> MemoryTaskStore::update_status(const StatusUpdate& u) {
  std::unique_lock lock(mutex_);
  StoredTask* stored = find_task_locked(u.task_id);
  if (!stored) return Error{ErrorCode::kTaskNotFound, "no task " + u.task_id};
  const Task* t = &stored->task();
  if (u.required_assignee && t->assignee != *u.required_assignee) {
    return Error{ErrorCode::kPermissionDenied, "task " + t->id + " is not assigned to you"};
  }
  if (u.expected_version && t->version != *u.expected_version) {
    return Error{ErrorCode::kVersionConflict, "task " + t->id + " is at version " +
                                                  std::to_string(t->version) + ", expected " +
                                                  std::to_string(*u.expected_version)};
  }
  if (u.enforce_transitions && !is_allowed_transition(t->status, u.status)) {
    return Error{ErrorCode::kInvalidTransition, "task " + t->id + " cannot go from " +
                                                    std::string(to_string(t->status)) + " to " +
                                                    std::string(to_string(u.status))};
  }
  stored->change([&](Task& changed) {
    changed.status = u.status;
    if (u.result) changed.result = *u.result;
    ++changed.version;
  });
  report(Collection::kTasks, t->id, to_json(*t));
  return *t;
}

std::size_t MemoryTaskStore::project_count() const {
  std::shared_lock lock(mutex_);
  return projects_.size();
}

std::size_t MemoryTaskStore::task_count() const {
  std::shared_lock lock(mutex_);
  return tasks_.size();
}

void MemoryTaskStore::report(Collection collection, const std::string& key, Json record) {
  if (changes_) changes_->record(Change{collection, key, std::move(record)});
}

void MemoryTaskStore::restore(const Json& projects, const Json& tasks) {
  // Build everything first so a malformed record leaves the store untouched.
  MemoryTaskStore fresh;
  for (const auto& j : projects) {
    Project p = project_from_json(j);
    const auto seq = sequence_of(p.id, "proj_");
    fresh.project_index_.emplace(p.id, seq);
    fresh.projects_.emplace(seq, std::move(p));
  }
  for (const auto& j : tasks) {
    Task t = task_from_json(j);
    if (!fresh.project_index_.contains(t.project_id)) throw std::invalid_argument(t.id + " names no saved project");
    const auto seq = sequence_of(t.id, "task_");
    fresh.task_index_.emplace(t.id, seq);
    fresh.tasks_.emplace(seq, StoredTask(std::move(t)));
  }
  // Ids continue after the highest restored one: an id is never issued twice.
  for (const auto& [seq, stored] : fresh.tasks_) fresh.tasks_by_project_[stored.task().project_id].push_back(seq);
  if (!fresh.projects_.empty()) fresh.next_project_ = fresh.projects_.rbegin()->first + 1;
  if (!fresh.tasks_.empty()) fresh.next_task_ = fresh.tasks_.rbegin()->first + 1;
  std::unique_lock lock(mutex_);
  next_project_ = fresh.next_project_;
  next_task_ = fresh.next_task_;
  projects_ = std::move(fresh.projects_);
  project_index_ = std::move(fresh.project_index_);
  tasks_ = std::move(fresh.tasks_);
  task_index_ = std::move(fresh.task_index_);
  tasks_by_project_ = std::move(fresh.tasks_by_project_);
}

}  // namespace lab::store
