// Stage 3 killed with SIGKILL in the middle of a storm of writes, twice: every
// write the stage acknowledged is there after the restart, and the restarted
// stage vouches for its state (it opens and verifies the whole sealed journal
// before it serves; a journal that does not verify stops the start).
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "client/client_profile.h"
#include "client/session.h"
#include "runner/process_stage.h"

namespace lab::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWriters = 4;
constexpr int kMaxWritesPerWriter = 1500;  // bounded, whatever the disk's speed
// Two coordinators, two sessions each (the stage allows three per agent), each writer on a project of its own,
// from an address of its own (the per-address rate limit is per host).
const char* const kWriterAgents[kWriters] = {"alice", "carol", "alice", "carol"};

struct Acknowledged {
  std::mutex mutex;
  std::set<std::string> task_ids;
  std::set<std::string> project_ids;
};

class CrashStorm : public ::testing::Test {
 protected:
  void SetUp() override {
    runner::ProcessStageOptions o;
    o.stage = 3;
    o.binary = LAB_BINARY;
    o.work_dir = std::filesystem::path(::testing::TempDir()) / "crash_storm";
    o.settings.idle_timeout = 30s;  // the storm and the restart must not outlive a session
    o.settings.absolute_timeout = 60s;
    auto started = runner::ProcessStage::start(o);
    ASSERT_TRUE(started.ok()) << started.error().message;
    stage_ = std::move(*started);
  }

  client::Identity identity(const std::string& agent) const {
    return client::Identity{agent, Role::kCoordinator, client::lab_password(agent)};
  }

  net::ClientOptions endpoint_from(int writer) const {
    auto e = stage_->endpoint();
    e.bind_address = "127.0.0." + std::to_string(20 + writer);
    return e;
  }

  // Writers create tasks as fast as the stage acknowledges them until the stage is killed under them.
  void storm(Acknowledged& acked) {
    std::atomic<int> ready{0};
    std::atomic<long> writes{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        auto session = client::open_session(3, endpoint_from(w), identity(kWriterAgents[w]));
        ++ready;
        if (!session) return;
        auto project = (*session)->call("create_project", Json{{"name", "storm " + std::to_string(w)}});
        if (!project) return;
        const std::string pid = project->value("id", "");
        {
          std::lock_guard lock(acked.mutex);
          acked.project_ids.insert(pid);
        }
        for (int i = 0; i < kMaxWritesPerWriter; ++i) {
          auto task = (*session)->call("create_task", Json{{"project_id", pid}, {"specialty", "testing"},
                                                           {"description", "storm write " + std::to_string(i)}});
          if (!task) {
            if (task.error().code == ErrorCode::kRateLimited) {
              std::this_thread::sleep_for(20ms);
              continue;
            }
            return;  // the stage is gone
          }
          std::lock_guard lock(acked.mutex);
          acked.task_ids.insert(task->value("id", ""));
          ++writes;
        }
      });
    }
    // Kill once the storm is well under way (or after a bounded wait on a slow machine).
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline && (ready < kWriters || writes < 200)) {
      std::this_thread::sleep_for(5ms);
    }
    stage_->crash();
    for (auto& t : writers) t.join();
  }

  std::unique_ptr<runner::ProcessStage> stage_;
};

TEST_F(CrashStorm, EveryAcknowledgedWriteSurvivesSigkillDuringAStorm) {
  Acknowledged acked;
  for (int round = 1; round <= 2; ++round) {
    const std::size_t before = acked.task_ids.size();
    storm(acked);
    ASSERT_GT(acked.task_ids.size(), before + 50) << "round " << round << ": the storm wrote too little to mean anything";
    auto restarted = stage_->restart();
    ASSERT_TRUE(restarted.ok()) << "round " << round << ": the stage did not vouch for its state: "
                                << restarted.error().message;

    auto reader = client::open_session(3, stage_->endpoint(), identity("admin"));
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    std::set<std::string> present;
    for (const auto& pid : acked.project_ids) {
      auto listed = (*reader)->call("list_tasks", Json{{"project_id", pid}});
      ASSERT_TRUE(listed.ok()) << listed.error().message;
      for (const auto& task : listed->value("tasks", Json::array())) present.insert(task.value("id", ""));
    }
    std::size_t lost = 0;
    for (const auto& id : acked.task_ids) lost += present.count(id) == 0;
    std::cout << "round " << round << ": " << acked.task_ids.size() << " acknowledged writes, " << lost
              << " lost after SIGKILL and restart\n";
    EXPECT_EQ(lost, 0u) << "round " << round << ": " << lost << " of " << acked.task_ids.size()
                        << " acknowledged writes lost";
    // What the stage holds beyond the acknowledged: at most the writes in flight when it died, one per writer.
    EXPECT_LE(present.size(), acked.task_ids.size() + kWriters * round) << "round " << round;
  }
}

}  // namespace
}  // namespace lab::test
