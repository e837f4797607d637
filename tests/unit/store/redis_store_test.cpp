// What only stage 4's Redis stores have, beyond the store contract: several coordinator instances (each with a
// client pool of its own) on one Redis and one prefix see each other's records and never issue the same id; their
// races for one task lose no update and give one claim winner; the per-project limit holds across instances;
// values in Redis are sealed, and a record edited or put back in Redis is refused — treated as absent and logged,
// never used and never overwritten; an event published on one instance reaches the subscribers of another
// exactly once, also after the reader's connection was cut.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "security/key256.h"
#include "security/sealed_record.h"
#include "store/redis/redis_agent_store.h"
#include "store/redis/redis_event_bus.h"
#include "store/redis/redis_functions.h"
#include "store/redis/redis_lockout_ledger.h"
#include "store/redis/redis_session_store.h"
#include "store/redis/redis_task_store.h"
#include "unit/redis/local_redis.h"

namespace lab::store {
namespace {

using namespace std::chrono_literals;

class RecordingSink final : public EventSink {
 public:
  bool push(std::string_view event_json) override {
    std::lock_guard lock(mutex_);
    received_.push_back(Json::parse(event_json));
    return true;
  }
  const void* target() const override { return this; }
  std::vector<Json> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // Waits (bounded) until `n` events arrived; what arrived by then.
  std::vector<Json> wait_for(std::size_t n) const {
    for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
      if (received().size() >= n) break;
      std::this_thread::sleep_for(5ms);
    }
    return received();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Json> received_;
};

class RedisStores : public ::testing::Test {
 protected:
  // One coordinator instance: a client pool of its own, the deployment's prefix and sealing key.
  RedisStoreOptions instance() {
    return RedisStoreOptions{
        .client = std::make_shared<redis::RedisClient>(redis::RedisClientOptions{
            .endpoint = redis_.endpoint(),
            .credentials = redis::testing::kTestUser,
            .failover_deadline = 5000ms,
            .on_connect = [](redis::RedisConnection& c) { return load_redis_functions(c); }}),
        .codec = RedisRecordCodec::sealed(security::SealingKeyring::make(security::SealingKey{1, key_}).value()),
        .prefix = "lab:x:"};
  }
  // A raw connection, as someone with access to Redis itself (its AOF, a replica, a backup) has.
  std::unique_ptr<redis::RedisConnection> raw() {
    return std::move(redis::RedisConnection::open(redis_.options()).value());
  }

  redis::testing::LocalRedis redis_;
  security::Key256 key_ = security::Key256::random();
};

TEST_F(RedisStores, TwoInstancesSeeEachOthersProjectsAndIssueDistinctIds) {
  RedisTaskStore a(instance());
  RedisTaskStore b(instance());
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      TaskStore& store = i % 2 == 0 ? static_cast<TaskStore&>(a) : b;
      for (int n = 0; n < 25; ++n) {
        const auto id = store.create_project(ProjectDraft{"p" + std::to_string(i)}, "coord", 1).id;
        std::lock_guard lock(mutex);
        ids.insert(id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 100u) << "no id issued twice";
  EXPECT_EQ(a.project_count(), 100u);
  EXPECT_EQ(b.list_projects().size(), 100u);
  const auto made_by_a = a.create_project(ProjectDraft{"from a", "d"}, "alice", 7);
  EXPECT_EQ(b.get_project(made_by_a.id)->name, "from a");
  auto task = b.create_task(TaskDraft{made_by_a.id, Specialty::kTesting, "on b"});
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(a.claim(ClaimRequest{task->id, "w1"}).ok());
  EXPECT_EQ(b.claim(ClaimRequest{task->id, "w2"}).error().code, ErrorCode::kAlreadyClaimed);
}

TEST_F(RedisStores, InstancesRacingForTheSameTasksLoseNoUpdateAndClaimEachOnce) {
  RedisTaskStore a(instance());
  RedisTaskStore b(instance());
  RedisTaskStore c(instance());  // stage 4 runs three
  const auto project = a.create_project(ProjectDraft{"p"}, "coord", 1).id;
  const auto counter = a.create_task(TaskDraft{project, Specialty::kTesting, "counter"})->id;
  std::vector<std::string> claimable;
  for (int i = 0; i < 20; ++i) claimable.push_back(b.create_task(TaskDraft{project, Specialty::kTesting, "c"})->id);
  std::atomic<int> failed_updates{0};
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      TaskStore& store = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
      for (const auto& id : claimable) {
        if (store.claim(ClaimRequest{id, "w" + std::to_string(i)}).ok()) ++wins;
      }
      for (int n = 0; n < 100; ++n) {
        StatusUpdate u{counter, TaskStatus::kWorking};
        u.enforce_transitions = false;
        if (!store.update_status(u).ok()) ++failed_updates;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 20) << "each task claimed exactly once across the instances";
  EXPECT_EQ(failed_updates.load(), 0);
  EXPECT_EQ(b.get_task(counter)->version, 1u + 600);
}

TEST_F(RedisStores, ThePerProjectLimitHoldsAcrossInstances) {
  RedisTaskStore a(instance());
  RedisTaskStore b(instance());
  const auto project = a.create_project(ProjectDraft{"p"}, "coord", 1).id;
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      TaskStore& store = i % 2 == 0 ? static_cast<TaskStore&>(a) : b;
      for (int n = 0; n < 10; ++n) {
        auto r = store.create_task(TaskDraft{project, Specialty::kTesting, "t"}, 12);
        if (r.ok()) ++created;
        else if (r.error().code == ErrorCode::kLimitExceeded) ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 12);
  EXPECT_EQ(refused.load(), 48);
  EXPECT_EQ(b.list_tasks({.project_id = project}).size(), 12u);
}

TEST_F(RedisStores, ASealedTaskInRedisShowsNoneOfItsText) {
  RedisTaskStore store(instance());
  const auto project = store.create_project(ProjectDraft{"p", "the project plan"}, "coord", 1).id;
  const auto task = store.create_task(TaskDraft{project, Specialty::kTesting, "secret description", "secret input"});
  ASSERT_TRUE(task.ok());
  auto c = raw();
  const auto data = c->command({"HGET", "lab:x:task:" + task->id, "data"});
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->kind, redis::RedisReply::Kind::kString);
  EXPECT_EQ(data->text.find("secret"), std::string::npos);
  EXPECT_EQ(data->text.find(project), std::string::npos);
  EXPECT_EQ(c->command({"HGET", "lab:x:project:" + project, "data"})->text.find("plan"), std::string::npos);
  EXPECT_EQ(c->command({"HGET", "lab:x:task:" + task->id, "v"})->text, "1") << "the version stays plaintext";
}

TEST_F(RedisStores, ATaskEditedInRedisIsRefusedAsAbsentAndNeverOverwritten) {
  RedisTaskStore store(instance());
  const auto project = store.create_project(ProjectDraft{"p"}, "coord", 1).id;
  const auto edited = store.create_task(TaskDraft{project, Specialty::kTesting, "one"})->id;
  const auto moved_to = store.create_task(TaskDraft{project, Specialty::kTesting, "two"})->id;
  auto c = raw();
  const std::string valid = c->command({"HGET", "lab:x:task:" + edited, "data"})->text;
  // Another task's valid value put under this key: sealed to the other id, so it does not open here.
  ASSERT_TRUE(c->command({"HSET", "lab:x:task:" + moved_to, "data", valid}).ok());
  std::string flipped = valid;
  flipped[flipped.size() / 2] ^= 0x01;  // one bit flipped in the ciphertext
  ASSERT_TRUE(c->command({"HSET", "lab:x:task:" + edited, "data", flipped}).ok());

  for (const auto& id : {edited, moved_to}) {
    EXPECT_EQ(store.get_task(id).error().code, ErrorCode::kTaskNotFound) << id;
    EXPECT_EQ(store.claim(ClaimRequest{id, "w1"}).error().code, ErrorCode::kTaskNotFound) << id;
  }
  EXPECT_TRUE(store.list_tasks({}).empty()) << "a refused record is left out of lists";
  EXPECT_EQ(c->command({"HGET", "lab:x:task:" + edited, "data"})->text, flipped) << "kept as evidence";
  EXPECT_EQ(c->command({"HGET", "lab:x:task:" + edited, "v"})->text, "1");
}

// (Its older value put back together with its older version opens: rolled-back-sealed-record shows it on stage 4.)
TEST_F(RedisStores, AnOlderTaskValuePutBackUnderTheCurrentVersionIsRefused) {
  RedisTaskStore store(instance());
  const auto id = store.create_task(TaskDraft{store.create_project(ProjectDraft{"p"}, "c", 1).id,
                                              Specialty::kTesting, "d"})->id;
  auto c = raw();
  const auto submitted = c->command({"HGET", "lab:x:task:" + id, "data"})->text;
  ASSERT_TRUE(store.claim(ClaimRequest{id, "w1"}).ok());
  // Rolling the task back to "submitted" under its current version, so another worker could claim it again.
  ASSERT_TRUE(c->command({"HSET", "lab:x:task:" + id, "data", submitted}).ok());
  EXPECT_EQ(store.claim(ClaimRequest{id, "w2"}).error().code, ErrorCode::kTaskNotFound);
}

TEST_F(RedisStores, FailedLoginsThroughTwoInstancesLockTheAccountOnBoth) {
  const security::LockoutOptions limits{.max_failures = 5, .lock_for = std::chrono::seconds(60)};
  RedisLockoutLedger a(instance(), limits), b(instance(), limits);
  for (int i = 0; i < 4; ++i) (i % 2 == 0 ? a : b).record_failure("alice");
  EXPECT_FALSE(a.locked_for("alice"));
  EXPECT_FALSE(b.locked_for("alice"));
  b.record_failure("alice");  // the fifth, wherever it lands
  const auto left = a.locked_for("alice");
  ASSERT_TRUE(left);
  EXPECT_GT(left->count(), 50'000);
  EXPECT_TRUE(b.locked_for("alice"));
  EXPECT_FALSE(a.locked_for("bob"));  // per account
}

TEST_F(RedisStores, ASuccessfulLoginStartsTheFailureCountAgain) {
  RedisLockoutLedger a(instance()), b(instance());
  for (int i = 0; i < 4; ++i) a.record_failure("carol");
  b.record_success("carol");
  for (int i = 0; i < 4; ++i) b.record_failure("carol");
  EXPECT_FALSE(a.locked_for("carol"));
}

TEST_F(RedisStores, AnAgentEditedInRedisIsRefusedAndGetsNoStandingRole) {
  RedisAgentStore agents(instance());
  agents.set_role("mallory", Role::kWorker);
  agents.set_role("admin", Role::kAdmin);
  auto c = raw();
  // mallory copies the admin's value onto her own record: sealed to "admin", it does not open as "mallory".
  const auto admin = c->command({"HGET", "lab:x:agent:admin", "data"})->text;
  ASSERT_TRUE(c->command({"HSET", "lab:x:agent:mallory", "data", admin}).ok());
  EXPECT_FALSE(agents.find("mallory").has_value());
  EXPECT_EQ(agents.role_or_create("mallory", Role::kObserver), Role::kObserver) << "as an unknown agent";
  ASSERT_EQ(agents.list().size(), 1u);
  EXPECT_EQ(agents.list()[0].id, "admin");
  agents.set_role("mallory", Role::kWorker);  // an explicit new value replaces the refused record
  EXPECT_EQ(agents.find("mallory")->role, Role::kWorker);
}

// Two instances replacing one session at once: each replacement is a compare-and-set on the version, so none is
// lost (the version counts every one) and the last one written is what Redis holds.
TEST_F(RedisStores, ConcurrentReplacementsOfOneSessionAreEachCountedOnce) {
  RedisSessionStore a(instance());
  RedisSessionStore b(instance());
  SessionRecord s{.id = "shared", .agent_id = "alice", .role = Role::kWorker, .created_ms = 1, .last_seen_ms = 1};
  ASSERT_TRUE(a.insert(s));
  constexpr int kEach = 25;
  auto replace = [&](RedisSessionStore& store, const std::string& address) {
    SessionRecord mine = s;
    mine.client_address = address;
    for (int i = 0; i < kEach; ++i) store.put(mine);
  };
  std::thread ta(replace, std::ref(a), "127.0.0.2");
  std::thread tb(replace, std::ref(b), "127.0.0.3");
  ta.join();
  tb.join();
  EXPECT_EQ(raw()->command({"HGET", "lab:x:sess:shared", "v"})->text, std::to_string(1 + 2 * kEach));
  const auto now = a.find("shared");
  ASSERT_TRUE(now);
  EXPECT_TRUE(now->client_address == "127.0.0.2" || now->client_address == "127.0.0.3");
}

TEST_F(RedisStores, AnEventPublishedOnOneInstanceReachesAnothersSubscribersOnce) {
  RedisEventBus a(instance());
  RedisEventBus b(instance());
  auto on_a = std::make_shared<RecordingSink>();
  auto on_b = std::make_shared<RecordingSink>();
  a.subscribe(on_a);
  b.subscribe(on_b);
  const Json first = a.publish(Json{{"kind", "from_a"}});
  const Json second = b.publish(Json{{"kind", "from_b"}});
  EXPECT_EQ(second["seq"].get<std::uint64_t>(), first["seq"].get<std::uint64_t>() + 1) << "one sequence for all";
  for (const auto& sink : {on_a, on_b}) {
    const auto got = sink->wait_for(2);
    std::this_thread::sleep_for(100ms);  // long enough for a duplicate to show up
    ASSERT_EQ(sink->received().size(), 2u);
    EXPECT_EQ(got[0], first);
    EXPECT_EQ(got[1], second);
  }
}

TEST_F(RedisStores, AReaderWhoseConnectionWasCutResumesAndMissesNothing) {
  RedisEventBus a(instance());
  RedisEventBus b(instance());
  auto on_b = std::make_shared<RecordingSink>();
  b.subscribe(on_b);
  a.publish(Json{{"n", 1}});
  ASSERT_EQ(on_b->wait_for(1).size(), 1u);
  // Cut every connection blocked in XREAD (both readers), as a failover does, then publish at once.
  auto c = raw();
  const auto clients = c->command({"CLIENT", "LIST"})->text;
  for (std::size_t at = clients.find("id="); at != std::string::npos; at = clients.find("\nid=", at + 1)) {
    const auto line = clients.substr(at, clients.find('\n', at + 1) - at);
    if (line.find("cmd=xread") == std::string::npos) continue;
    const auto id = line.substr(line.find("id=") + 3, line.find(' ', line.find("id=")) - line.find("id=") - 3);
    ASSERT_TRUE(c->command({"CLIENT", "KILL", "ID", id}).ok());
  }
  for (int n = 2; n <= 4; ++n) a.publish(Json{{"n", n}});
  const auto got = on_b->wait_for(4);
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(on_b->received().size(), 4u);
  for (int n = 1; n <= 4; ++n) EXPECT_EQ(got[n - 1]["n"], n);
}

}  // namespace
}  // namespace lab::store
