// MemoryTaskStore: projects and tasks held in this process (stages 1-3).
// Ids come from the store's own sequence, so coordinators sharing one store
// never collide. Each change is reported to the ChangeSink, if one is given.
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/change.h"
#include "store/task_store.h"

namespace lab::store {

class MemoryTaskStore final : public TaskStore {
 public:
  explicit MemoryTaskStore(ChangeSink* changes = nullptr) : changes_(changes) {}

  Project create_project(ProjectDraft draft, std::string owner, std::int64_t now) override;
  std::vector<Project> list_projects() const override;
  Result<Project> get_project(const std::string& id) const override;
  Result<Task> create_task(TaskDraft draft, std::size_t max_tasks_in_project = 0) override;
  Result<Task> get_task(const std::string& id) const override;
  std::vector<Task> list_tasks(const TaskFilter& filter) const override;
  void for_each_task(const TaskFilter& filter, const std::function<void(const Task&)>& visit) const override;
  void write_tasks(const TaskFilter& filter, JsonTextWriter& w) const override;
  Result<Task> claim(const ClaimRequest& request) override;
  Result<Task> update_status(const StatusUpdate& update) override;
  std::size_t project_count() const override;
  std::size_t task_count() const override;

  // Replaces the content with saved records (arrays of project and task
  // JSON, any order). Throws on a malformed record, leaving the store as it was.
  void restore(const Json& projects, const Json& tasks);

 private:
  // A task with its JSON text, written when the task changes: reads outnumber changes, so a read copies the
  // text instead of serializing the task again. Change `task` only through `change`, which rewrites the text.
  class StoredTask {
   public:
    explicit StoredTask(Task task) : task_(std::move(task)) { write_text(); }
    const Task& task() const { return task_; }
    std::string_view text() const { return text_; }
    template <class Edit>
    void change(Edit&& edit) {
      edit(task_);
      write_text();
    }

   private:
    void write_text();
    Task task_;
    std::string text_;
  };

  template <class Visit>
  void visit_matching(const TaskFilter& filter, Visit&& visit) const;  // with mutex_ held
  StoredTask* find_task_locked(const std::string& id);
  void report(Collection collection, const std::string& key, Json record);  // with mutex_ held

  ChangeSink* changes_;
  mutable std::shared_mutex mutex_;
  std::uint64_t next_project_ = 1;
  std::uint64_t next_task_ = 1;
  std::map<std::uint64_t, Project> projects_;             // by creation sequence
  std::unordered_map<std::string, std::uint64_t> project_index_;
  std::map<std::uint64_t, StoredTask> tasks_;              // by creation sequence
  std::unordered_map<std::string, std::uint64_t> task_index_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> tasks_by_project_;
};

}  // namespace lab::store
