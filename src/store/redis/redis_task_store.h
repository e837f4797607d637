// RedisTaskStore: stage 4's projects and tasks, shared by every coordinator instance on one Redis.
//
// Keys (all under the store's prefix):
//   seq:project, seq:task      INCR counters: ids ("proj_<n>", "task_<n>", as MemoryTaskStore writes them) are
//                              issued by Redis, so two instances never issue the same one
//   project:<id>, task:<id>    hash {v: version in plaintext, data: the record's JSON through the codec — sealed
//                              to kind "project"/"task", the id and v}; a project stays at version 1
//   projects, tasks            sorted sets of ids scored by their sequence number: creation order
//   project-tasks:<project>    the same for one project's tasks (list by project, the per-project limit)
//
// Every rule stays in C++ as in MemoryTaskStore: read the task, decide (state machine, specialty, assignee,
// expected_version), then write with the compare-and-set function `task_cas` (data/redis/lab_tasks.lua). A write
// that lost a race gets the task as it now is and decides again, a bounded number of times, so concurrent claims
// from any number of instances give exactly one winner and no update is lost. This instance's own threads take
// turns per task first, so only instances race. A claim or an update is answered only once a replica holds it
// (RedisClient::replicated). Creating a task checks the project and the per-project limit again in the same
// function that inserts it, so the limit holds under any race.
//
// A record that does not open (edited, moved to another key, an older copy put back, or sealed under a key this
// process does not hold) is refused, never used: it is treated as absent (PROJECT_NOT_FOUND / TASK_NOT_FOUND, left
// out of lists) and logged with spdlog::error — the same rule as RedisSessionStore. It is never overwritten either.
// When Redis cannot be reached past the client's failover deadline, a call throws std::runtime_error: the
// coordinator answers that request INTERNAL_ERROR ("store unavailable") and carries on.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "redis/redis_reply.h"
#include "store/redis/redis_store_options.h"
#include "store/task_store.h"

namespace lab::store {

class RedisTaskStore final : public TaskStore {
 public:
  explicit RedisTaskStore(RedisStoreOptions options) : options_(std::move(options)) {}

  Project create_project(ProjectDraft draft, std::string owner, std::int64_t now) override;
  std::vector<Project> list_projects() const override;
  Result<Project> get_project(const std::string& id) const override;
  Result<Task> create_task(TaskDraft draft, std::size_t max_tasks_in_project = 0) override;
  Result<Task> get_task(const std::string& id) const override;
  std::vector<Task> list_tasks(const TaskFilter& filter) const override;
  void for_each_task(const TaskFilter& filter, const std::function<void(const Task&)>& visit) const override;
  Result<Task> claim(const ClaimRequest& request) override;
  Result<Task> update_status(const StatusUpdate& update) override;
  std::size_t project_count() const override;
  std::size_t task_count() const override;

 private:
  // What a decision makes of the task as read: the changed task, or the refusal to answer.
  using Decide = std::function<Result<Task>(Task)>;

  std::string key(std::string_view name) const { return options_.prefix + std::string(name); }
  // The record held in a {v, data} pair, or nullopt when absent or refused (logged).
  std::optional<Project> open_project(const std::string& id, const redis::RedisReply& v,
                                      const redis::RedisReply& data) const;
  std::optional<Task> open_task(const std::string& id, const redis::RedisReply& v,
                                const redis::RedisReply& data) const;
  // Read, decide, compare-and-set; again with the task as it now is when another writer got there first.
  Result<Task> change_task(const std::string& id, const Decide& decide);
  // Reads `<kind><id>` ({v, data}) for each of `ids`, in that order, a pipelined chunk per round trip.
  using ReadRecord = std::function<void(const std::string& id, const redis::RedisReply& v,
                                        const redis::RedisReply& data)>;
  void read_records(std::string_view kind, const std::vector<std::string>& ids, const ReadRecord& each) const;
  std::vector<std::string> members(const std::string& sorted_set) const;
  std::size_t cardinality(const std::string& sorted_set) const;

  RedisStoreOptions options_;
  std::array<std::mutex, 256> task_turns_;  // by hash of the task id: this instance's changes take turns
};

}  // namespace lab::store
