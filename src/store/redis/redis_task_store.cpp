#include "store/redis/redis_task_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

#include "core/bounded_json.h"
#include "core/task_status.h"

namespace lab::store {
namespace {

using redis::RedisReply;

constexpr std::size_t kReadChunk = 256;  // tasks read per pipelined round trip
// How long a change keeps deciding again while other instances keep winning the compare-and-set. Time, not a
// count: the loser retries at once with the record the failed write returned, so it is rarely more than a few.
constexpr auto kChangeDeadline = std::chrono::seconds(2);
constexpr int kMaxIdAttempts = 8;        // ids tried when one is already taken (a sequence that went back)

[[noreturn]] void unavailable(std::string_view what, const std::string& detail) {
  throw std::runtime_error("the task store is unavailable (" + std::string(what) + "): " + detail);
}

// The reply; throws when Redis could not be reached or refused the command itself.
RedisReply checked(Result<RedisReply> reply, std::string_view what) {
  if (!reply) unavailable(what, reply.error().message);
  if (reply->is_error()) unavailable(what, reply->text);
  return std::move(*reply);
}

// An array reply of at least `n` elements; throws otherwise.
RedisReply checked_array(Result<RedisReply> reply, std::string_view what, std::size_t n) {
  RedisReply r = checked(std::move(reply), what);
  if (r.kind != RedisReply::Kind::kArray || r.elements.size() < n) unavailable(what, "unexpected " + r.describe());
  return r;
}

std::int64_t checked_integer(Result<RedisReply> reply, std::string_view what) {
  RedisReply r = checked(std::move(reply), what);
  if (r.kind != RedisReply::Kind::kInteger) unavailable(what, "unexpected " + r.describe());
  return r.integer;
}

// A record's version: a positive number, as its hash field holds it.
std::optional<std::uint64_t> version_of(const RedisReply& r) {
  const auto v = r.kind == RedisReply::Kind::kString ? r.as_integer() : std::nullopt;
  if (!v || *v <= 0) return std::nullopt;
  return static_cast<std::uint64_t>(*v);
}

// Only ids the store could have issued ("task_17", no leading zero) are looked up; any other text names nothing.
bool issued_id(const std::string& id, std::string_view prefix) {
  if (!id.starts_with(prefix)) return false;
  const std::string_view digits = std::string_view(id).substr(prefix.size());
  return !digits.empty() && digits.size() <= 19 && digits.front() != '0' &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string text_of(const Json& record) { return record.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool matches(const Task& t, const TaskFilter& f) {
  return (!f.project_id || t.project_id == *f.project_id) && (!f.status || t.status == *f.status) &&
         (!f.specialty || t.specialty == *f.specialty) && (!f.assignee || t.assignee == *f.assignee);
}

// Opens a {v, data} pair of `kind`/`id` and builds the record with `from_json`; nullopt when absent or refused.
template <class Record, class FromJson>
std::optional<Record> open_record(const RedisRecordCodec& codec, std::string_view kind, const std::string& id,
                                  const RedisReply& v, const RedisReply& data, FromJson from_json) {
  if (v.is_nil()) return std::nullopt;
  const auto version = version_of(v);
  if (!version || data.kind != RedisReply::Kind::kString) {
    spdlog::error("{} {} in Redis has no valid version or value; refused", kind, id);
    return std::nullopt;
  }
  // VULN V-013: the value opens when it matches the version stored beside it; an older value put back together
  // with its older version (by whoever holds the coordinators' Redis credentials) opens as well.
  auto opened = codec.decode(kind, id, *version, data.text);
  if (!opened) {
    // Edited, moved from another key, put back under a newer version, or sealed under a key this process lacks.
    spdlog::error("{} {} in Redis does not open ({}); refused", kind, id, opened.error().message);
    return std::nullopt;
  }
  auto json = parse_json_bounded(*opened);
  if (json.status != JsonParseStatus::kOk) {
    spdlog::error("{} {} in Redis is not a JSON record; refused", kind, id);
    return std::nullopt;
  }
  try {
    Record r = from_json(json.value, *version);
    if (r.id != id) throw std::invalid_argument("it names " + r.id);
    return r;
  } catch (const std::exception& e) {
    spdlog::error("{} {} in Redis is malformed ({}); refused", kind, id, e.what());
    return std::nullopt;
  }
}

}  // namespace

std::optional<Project> RedisTaskStore::open_project(const std::string& id, const RedisReply& v,
                                                    const RedisReply& data) const {
  return open_record<Project>(options_.codec, "project", id, v, data,
                              [](const Json& j, std::uint64_t) { return project_from_json(j); });
}

std::optional<Task> RedisTaskStore::open_task(const std::string& id, const RedisReply& v,
                                              const RedisReply& data) const {
  return open_record<Task>(options_.codec, "task", id, v, data, [](const Json& j, std::uint64_t version) {
    Task t = task_from_json(j);
    if (t.version != version) throw std::invalid_argument("its version is not the stored one");
    return t;
  });
}

Project RedisTaskStore::create_project(ProjectDraft draft, std::string owner, std::int64_t now) {
  for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
    const auto seq = std::to_string(checked_integer(options_.client->command({"INCR", key("seq:project")}), "INCR"));
    Project p{"proj_" + seq, draft.name, draft.description, owner, now, draft.metadata};
    const std::string data = options_.codec.encode("project", p.id, 1, text_of(to_json(p)));
    const std::int64_t created = checked_integer(
        options_.client->command({"FCALL", "project_create", "2", key("project:" + p.id), key("projects"), seq,
                                  p.id, "1", data}),
        "project_create");
    if (created == 1) return p;
    spdlog::error("project id {} was already taken in Redis (its sequence went back); issuing another", p.id);
  }
  throw std::runtime_error("the task store could not issue a free project id");
}

std::vector<Project> RedisTaskStore::list_projects() const {
  std::vector<Project> out;
  const auto ids = members(key("projects"));
  read_records("project:", ids, [&](const std::string& id, const RedisReply& v, const RedisReply& data) {
    if (auto p = open_project(id, v, data)) out.push_back(std::move(*p));
  });
  return out;
}

Result<Project> RedisTaskStore::get_project(const std::string& id) const {
  if (issued_id(id, "proj_")) {
    const auto r = checked_array(
        options_.client->command({"HMGET", key("project:" + id), "v", "data"}, redis::Retry::kIdempotent), "HMGET", 2);
    if (auto p = open_project(id, r.elements[0], r.elements[1])) return std::move(*p);
  }
  return Error{ErrorCode::kProjectNotFound, "no project " + id};
}

Result<Task> RedisTaskStore::create_task(TaskDraft draft, std::size_t max_tasks_in_project) {
  const Error no_project{ErrorCode::kProjectNotFound, "no project " + draft.project_id};
  const Error full{ErrorCode::kLimitExceeded, draft.project_id + " already holds " +
                                                  std::to_string(max_tasks_in_project) + " tasks, the limit"};
  if (!issued_id(draft.project_id, "proj_")) return no_project;
  const std::string project_key = key("project:" + draft.project_id);
  const std::string project_tasks = key("project-tasks:" + draft.project_id);
  const std::string limit = std::to_string(max_tasks_in_project);
  for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
    const auto reserved = checked_array(options_.client->command({"FCALL", "task_reserve", "3", project_key,
                                                                  project_tasks, key("seq:task"), limit}),
                                        "task_reserve", 1);
    const auto& e = reserved.elements;
    if (e[0].integer == 0) return no_project;
    if (e[0].integer == -1) return full;
    if (e.size() != 4 || !open_project(draft.project_id, e[2], e[3])) return no_project;
    const std::string seq = std::to_string(e[1].integer);
    Task t;
    t.id = "task_" + seq;
    t.project_id = draft.project_id;
    t.specialty = draft.specialty;
    t.description = draft.description;
    t.input = draft.input;
    t.priority = draft.priority;
    const std::string data = options_.codec.encode("task", t.id, 1, text_of(to_json(t)));
    const std::int64_t created = checked_integer(
        options_.client->command({"FCALL", "task_create", "4", key("task:" + t.id), key("tasks"), project_tasks,
                                  project_key, seq, t.id, "1", data, limit}),
        "task_create");
    if (created == 1) return t;
    if (created == 0) return no_project;
    if (created == -1) return full;
    spdlog::error("task id {} was already taken in Redis (its sequence went back); issuing another", t.id);
  }
  throw std::runtime_error("the task store could not issue a free task id");
}

Result<Task> RedisTaskStore::get_task(const std::string& id) const {
  if (issued_id(id, "task_")) {
    const auto r = checked_array(
        options_.client->command({"HMGET", key("task:" + id), "v", "data"}, redis::Retry::kIdempotent), "HMGET", 2);
    if (auto t = open_task(id, r.elements[0], r.elements[1])) return std::move(*t);
  }
  return Error{ErrorCode::kTaskNotFound, "no task " + id};
}

std::vector<Task> RedisTaskStore::list_tasks(const TaskFilter& filter) const {
  std::vector<Task> out;
  for_each_task(filter, [&out](const Task& t) { out.push_back(t); });
  return out;
}

void RedisTaskStore::for_each_task(const TaskFilter& filter, const std::function<void(const Task&)>& visit) const {
  if (filter.project_id && !issued_id(*filter.project_id, "proj_")) return;
  const auto ids = members(filter.project_id ? key("project-tasks:" + *filter.project_id) : key("tasks"));
  read_records("task:", ids, [&](const std::string& id, const RedisReply& v, const RedisReply& data) {
    if (auto t = open_task(id, v, data); t && matches(*t, filter)) visit(*t);
  });
}

void RedisTaskStore::read_records(std::string_view kind, const std::vector<std::string>& ids,
                                  const ReadRecord& each) const {
  for (std::size_t from = 0; from < ids.size(); from += kReadChunk) {
    const std::size_t to = std::min(ids.size(), from + kReadChunk);
    std::vector<redis::RedisCommand> reads;
    for (std::size_t i = from; i < to; ++i) reads.push_back({"HMGET", key(kind) + ids[i], "v", "data"});
    auto replies = options_.client->pipeline(reads, redis::Retry::kIdempotent);
    if (!replies || replies->size() != reads.size()) unavailable("HMGET", replies ? "short" : replies.error().message);
    for (std::size_t i = from; i < to; ++i) {
      const auto& r = (*replies)[i - from];
      if (r.kind != RedisReply::Kind::kArray || r.elements.size() != 2) unavailable("HMGET", r.describe());
      each(ids[i], r.elements[0], r.elements[1]);
    }
  }
}

Result<Task> RedisTaskStore::change_task(const std::string& id, const Decide& decide) {
  const Error not_found{ErrorCode::kTaskNotFound, "no task " + id};
  if (!issued_id(id, "task_")) return not_found;
  // This instance's threads take turns on a task, so a lost race is one between instances (a handful), which
  // the retry below settles; threads racing each other here would starve one another's compare-and-set.
  std::lock_guard turn(task_turns_[std::hash<std::string>{}(id) % task_turns_.size()]);
  const std::string task_key = key("task:" + id);
  const auto read = checked_array(options_.client->command({"HMGET", task_key, "v", "data"}, redis::Retry::kIdempotent),
                                  "HMGET", 2);
  auto current = open_task(id, read.elements[0], read.elements[1]);
  for (const auto deadline = std::chrono::steady_clock::now() + kChangeDeadline;
       std::chrono::steady_clock::now() < deadline;) {
    if (!current) return not_found;
    auto decided = decide(*current);
    if (!decided) return decided.error();
    Task next = std::move(*decided);
    next.version = current->version + 1;
    const std::string expected = std::to_string(current->version);
    const std::string version = std::to_string(next.version);
    const std::string data = options_.codec.encode("task", id, next.version, text_of(to_json(next)));
    // Not retried once sent: a claim whose answer was lost may have won, and only a fresh read can tell.
    const auto written = checked_array(options_.client->replicated(std::vector<std::string_view>{
                                           "FCALL", "task_cas", "1", task_key, expected, version, data}),
                                       "task_cas", 1);
    if (written.elements[0].integer == 1) return next;
    if (written.elements.size() != 3) return not_found;
    current = open_task(id, written.elements[1], written.elements[2]);
  }
  return Error{ErrorCode::kVersionConflict, "task " + id + " kept changing while this change was decided; try again"};
}

Result<Task> RedisTaskStore::claim(const ClaimRequest& request) {
  return change_task(request.task_id, [&request](Task t) -> Result<Task> {
    if (t.status != TaskStatus::kSubmitted) {
      return Error{ErrorCode::kAlreadyClaimed,
                   "task " + t.id + " is " + std::string(to_string(t.status)) + ", not submitted"};
    }
    if (request.agent_specialties) {
      const auto& s = *request.agent_specialties;
      if (std::find(s.begin(), s.end(), t.specialty) == s.end()) {
        return Error{ErrorCode::kSpecialtyMismatch,
                     "task " + t.id + " needs specialty " + std::string(to_string(t.specialty))};
      }
    }
    t.status = TaskStatus::kWorking;
    t.assignee = request.agent_id;
    return t;
  });
}

Result<Task> RedisTaskStore::update_status(const StatusUpdate& u) {
  return change_task(u.task_id, [&u](Task t) -> Result<Task> {
    if (u.required_assignee && t.assignee != *u.required_assignee) {
      return Error{ErrorCode::kPermissionDenied, "task " + t.id + " is not assigned to you"};
    }
    if (u.expected_version && t.version != *u.expected_version) {
      return Error{ErrorCode::kVersionConflict, "task " + t.id + " is at version " + std::to_string(t.version) +
                                                    ", expected " + std::to_string(*u.expected_version)};
    }
    if (u.enforce_transitions && !is_allowed_transition(t.status, u.status)) {
      return Error{ErrorCode::kInvalidTransition, "task " + t.id + " cannot go from " +
                                                      std::string(to_string(t.status)) + " to " +
                                                      std::string(to_string(u.status))};
    }
    t.status = u.status;
    if (u.result) t.result = *u.result;
    return t;
  });
}

std::vector<std::string> RedisTaskStore::members(const std::string& sorted_set) const {
  const auto r = checked(options_.client->command({"ZRANGE", sorted_set, "0", "-1"}, redis::Retry::kIdempotent),
                         "ZRANGE");
  if (r.kind != RedisReply::Kind::kArray) unavailable("ZRANGE", "unexpected " + r.describe());
  std::vector<std::string> out;
  out.reserve(r.elements.size());
  for (const auto& e : r.elements) out.push_back(e.text);
  return out;
}

std::size_t RedisTaskStore::cardinality(const std::string& sorted_set) const {
  return static_cast<std::size_t>(
      checked_integer(options_.client->command({"ZCARD", sorted_set}, redis::Retry::kIdempotent), "ZCARD"));
}

std::size_t RedisTaskStore::project_count() const { return cardinality(key("projects")); }
std::size_t RedisTaskStore::task_count() const { return cardinality(key("tasks")); }

}  // namespace lab::store
