// rolled-back-sealed-record: a host-level attacker keeps a copy of the state
// directory (a backup, a snapshot). Later the coordinator cancels a task
// (say, a payment it found fraudulent); with the server stopped, the attacker
// puts that one task record back to its copy (the task before the cancel),
// leaves everything else as it is, and waits for the restart. Exploited when
// the server then serves the task as it was before the cancel it acknowledged.
// Only one record goes back: a whole directory put back is another attack,
// which stage 3's journal does not detect on its own (sealed_journal.h).
// Where the state lives in a shared store (stage 4's Redis), the copy is the
// task's stored value read with the coordinators' own credentials, and it is
// put back in place while the instances run.
#include <filesystem>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "attacks/record_rollback.h"
#include "attacks/shared_store_reader.h"
#include "core/temporary_directory.h"

namespace lab::attacks {
namespace {

namespace fs = std::filesystem;

// The task of `project_id` with id `task_id`, as `client` reads it.
Result<Json> read_task(net::ProtocolClient& client, const std::string& project_id, const std::string& task_id) {
  auto listed = client.call("list_tasks", Json{{"project_id", project_id}});
  if (!listed) return listed.error();
  for (const auto& task : listed->value("tasks", Json::array())) {
    if (task.value("id", "") == task_id) return task;
  }
  return Error{ErrorCode::kTaskNotFound, task_id + " is not among the tasks of " + project_id};
}

std::string status_and_version(const Json& task) {
  return "'" + task.value("status", "?") + "' (version " + task.value("version", Json("?")).dump() + ")";
}

// The victim with a project and one task in it: a payment its coordinator will cancel.
struct VictimWithPayment {
  client::Identity identity;
  std::unique_ptr<net::ProtocolClient> client;
  std::string project_id;
  std::string task_id;
};
Result<VictimWithPayment> victim_with_payment(const Target& t) {
  VictimWithPayment v{victim_identity(t), nullptr, "", ""};
  auto victim = client::open_session(t.stage, t.endpoint, v.identity);
  if (!victim) return Error{victim.error().code, "victim cannot log in: " + victim.error().message};
  auto project = (*victim)->call("create_project", Json{{"name", "payments-" + t.tag}});
  if (!project) return Error{project.error().code, "victim cannot create a project: " + project.error().message};
  v.project_id = project->value("id", "");
  auto task = (*victim)->call("create_task", Json{{"project_id", v.project_id}, {"specialty", "testing"},
                                                  {"description", "pay invoice 4711 to account " + t.tag}});
  if (!task) return Error{task.error().code, "victim cannot create a task: " + task.error().message};
  v.task_id = task->value("id", "");
  v.client = std::move(*victim);
  return v;
}

// The coordinator cancels the task; the task as the server acknowledged the cancel.
Result<Json> cancel(net::ProtocolClient& client, const std::string& pid, const std::string& tid) {
  auto before = read_task(client, pid, tid);
  if (!before) return Error{before.error().code, "victim cannot read its task: " + before.error().message};
  auto canceled = client.call("update_task_status", Json{{"task_id", tid}, {"status", "canceled"},
                                                         {"expected_version", before->value("version", 0)}});
  if (!canceled) return Error{canceled.error().code, "victim cannot cancel its task: " + canceled.error().message};
  auto acknowledged = read_task(client, pid, tid);
  if (!acknowledged) {
    return Error{acknowledged.error().code, "victim cannot read the canceled task: " + acknowledged.error().message};
  }
  return acknowledged;
}

// The verdict on the task after the rollback `edit`, read by the victim through `reader`.
AttackResult verdict(net::ProtocolClient& reader, const std::string& pid, const std::string& tid,
                     const Json& acknowledged, const std::string& edit, const std::string& when) {
  auto after = read_task(reader, pid, tid);
  if (!after) return failed(edit + "; the task cannot be read " + when + ": " + describe(after.error()));
  if (after->value("status", "") != acknowledged.value("status", "") &&
      after->value("version", 0) < acknowledged.value("version", 0)) {
    return exploited(edit + "; " + when + " the server serves " + tid + " as " + status_and_version(*after) +
                     " again: the cancel it acknowledged is undone, and the task can be claimed once more");
  }
  return blocked(edit + "; " + when + " " + tid + " is still " + status_and_version(*after));
}

// The task's fields in the shared store, as HGETALL gives them (field, value, field, value, ...).
Result<std::vector<std::string>> stored_fields(redis::RedisConnection& redis, const std::string& key) {
  auto reply = redis.command({"HGETALL", key});
  if (!reply) return reply.error();
  if (reply->is_error() || reply->elements.empty()) {
    return Error{ErrorCode::kInvalidField, key + " holds no record: " + reply->describe()};
  }
  std::vector<std::string> fields;
  for (const auto& e : reply->elements) fields.push_back(e.text);
  return fields;
}

// Stage 4: the same rollback inside Redis, with the coordinators' credentials, while the instances run.
AttackResult roll_back_in_store(const Target& t, const SharedStore& store) {
  auto victim = victim_with_payment(t);
  if (!victim) return failed(victim.error().message);
  const std::string& pid = victim->project_id;
  const std::string& tid = victim->task_id;

  auto redis = redis::RedisConnection::open({.endpoint = store.endpoint, .credentials = store.insider, .tls = store.tls});
  if (!redis) return failed("cannot reach the store with the coordinators' credentials: " + redis.error().message);
  const std::string key = store.prefix + "task:" + tid;
  auto copy = stored_fields(**redis, key);
  if (!copy) return failed("found no task record to copy: " + copy.error().message);

  auto acknowledged = cancel(*victim->client, pid, tid);
  if (!acknowledged) return failed(acknowledged.error().message);

  redis::RedisCommand put_back{"HSET", key};
  put_back.insert(put_back.end(), copy->begin(), copy->end());
  auto written = (*redis)->pipeline(std::span<const redis::RedisCommand>(&put_back, 1));
  if (!written || written->front().is_error()) {
    return failed("cannot put the copy back: " + (written ? written->front().text : written.error().message));
  }
  const std::string edit = "put the copy of " + key + " taken before the cancel (all " +
                           std::to_string(copy->size() / 2) + " fields, the version with them) back in Redis, after "
                           "the server acknowledged the cancel of " + tid + " as " + status_and_version(*acknowledged);
  return verdict(*victim->client, pid, tid, *acknowledged, edit, "then");
}

class RolledBackSealedRecord final : public Attack {
 public:
  std::string_view id() const override { return "rolled-back-sealed-record"; }
  std::string_view title() const override { return "Put one stored record back to an older copy"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab (its files are edited between restarts)");
    if (const auto store = t.control->shared_store()) return roll_back_in_store(t, *store);
    auto victim = victim_with_payment(t);
    if (!victim) return failed(victim.error().message);
    const auto victim_id = victim->identity;
    const std::string pid = victim->project_id;
    const std::string tid = victim->task_id;
    victim->client.reset();

    // The attacker's copy of the state, taken while the server was down (a backup, a snapshot).
    auto copy = TemporaryDirectory::create("lab_state_copy_");
    if (!copy) return failed(copy.error().message);
    if (auto s = t.control->stop(); !s) return failed("cannot stop the stage: " + s.error().message);
    std::error_code ec;
    fs::copy(t.control->state_dir(), copy->path(), fs::copy_options::recursive, ec);
    if (ec) return failed("cannot copy the state directory: " + ec.message());
    if (auto s = t.control->restart(); !s) return failed("the stage did not restart: " + s.error().message);

    // The coordinator cancels the task; the server acknowledges it.
    auto again = client::open_session(t.stage, t.control->endpoint(), victim_id);
    if (!again) return failed("victim cannot log in after the restart: " + again.error().message);
    auto acknowledged = cancel(**again, pid, tid);
    if (!acknowledged) return failed(acknowledged.error().message);
    again->reset();

    if (auto s = t.control->stop(); !s) return failed("cannot stop the stage: " + s.error().message);
    auto rolled = roll_back_one_record(copy->path(), t.control->state_dir(), "tasks", tid);
    if (!rolled) return failed("found no task record to put back: " + rolled.error().message);
    const std::string edit = "with the server stopped, put " + rolled->what + " in " +
                             rolled->file.filename().string() + ", after the server acknowledged the cancel of " +
                             tid + " as " + status_and_version(*acknowledged);
    if (auto s = t.control->restart(); !s) return blocked(edit + "; the server refused to start: " + s.error().message);

    auto reader = client::open_session(t.stage, t.control->endpoint(), victim_id);
    if (!reader) return failed("victim cannot log in after the rollback: " + reader.error().message);
    return verdict(**reader, pid, tid, *acknowledged, edit, "after the restart");
  }
};

}  // namespace

std::unique_ptr<Attack> make_rolled_back_sealed_record() { return std::make_unique<RolledBackSealedRecord>(); }

}  // namespace lab::attacks
