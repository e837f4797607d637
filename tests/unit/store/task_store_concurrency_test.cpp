// The TaskStore contract under concurrent callers — threads here stand for
// request threads and for several coordinators sharing one store: no update
// is lost, exactly one claim wins, ids stay unique, and optimistic concurrency
// (expected_version) works. Runs against every implementation.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "unit/store/store_implementations.h"

namespace lab::store {
namespace {

constexpr int kThreads = 8;

// Runs body(i) on kThreads threads released together.
template <class Body>
void run_threads(Body body) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      body(i);
    });
  }
  go = true;
  for (auto& t : threads) t.join();
}

class TaskStoreConcurrency : public ::testing::TestWithParam<testing::StoreImplementation> {
 protected:
  std::string add_task() {
    if (project_.empty()) project_ = board_.create_project(ProjectDraft{"p"}, "coord", 0).id;
    return board_.create_task(TaskDraft{project_, Specialty::kTesting, "t"})->id;
  }
  std::shared_ptr<StoreSet> stores_ = GetParam().make();
  TaskStore& board_ = stores_->tasks();
  std::string project_;
};

TEST_P(TaskStoreConcurrency, ConcurrentUpdatesAreNeverLost) {
  constexpr int kUpdatesPerThread = 500;
  const auto id = add_task();
  std::mutex mutex;
  std::vector<std::uint64_t> versions;
  run_threads([&](int) {
    std::vector<std::uint64_t> mine;
    for (int n = 0; n < kUpdatesPerThread; ++n) {
      StatusUpdate u{id, TaskStatus::kWorking};
      u.enforce_transitions = false;
      auto r = board_.update_status(u);
      ASSERT_TRUE(r.ok());
      mine.push_back(r->version);
    }
    std::lock_guard lock(mutex);
    versions.insert(versions.end(), mine.begin(), mine.end());
  });
  constexpr std::uint64_t kTotal = kThreads * kUpdatesPerThread;
  EXPECT_EQ(board_.get_task(id)->version, 1 + kTotal);
  std::sort(versions.begin(), versions.end());
  ASSERT_EQ(versions.size(), kTotal);
  for (std::uint64_t i = 0; i < kTotal; ++i) ASSERT_EQ(versions[i], i + 2) << "versions must be 2..N+1, each once";
}

TEST_P(TaskStoreConcurrency, ExactlyOneOfManyConcurrentClaimsWins) {
  constexpr int kTasks = 50;
  std::vector<std::string> ids;
  for (int i = 0; i < kTasks; ++i) ids.push_back(add_task());
  std::atomic<int> wins{0};
  std::atomic<int> already_claimed{0};
  run_threads([&](int worker) {
    for (const auto& id : ids) {
      auto r = board_.claim(ClaimRequest{id, "w" + std::to_string(worker)});
      if (r.ok()) {
        ++wins;
      } else if (r.error().code == ErrorCode::kAlreadyClaimed) {
        ++already_claimed;
      }
    }
  });
  EXPECT_EQ(wins.load(), kTasks);
  EXPECT_EQ(already_claimed.load(), kTasks * (kThreads - 1));
  for (const auto& id : ids) {
    const Task t = *board_.get_task(id);
    EXPECT_EQ(t.status, TaskStatus::kWorking);
    EXPECT_EQ(t.version, 2u) << id << " was claimed more than once";
    EXPECT_FALSE(t.assignee.empty());
  }
}

TEST_P(TaskStoreConcurrency, ConcurrentCreatesGetUniqueIds) {
  constexpr int kPerThread = 200;
  add_task();  // creates the project
  std::mutex mutex;
  std::set<std::string> task_ids;
  std::set<std::string> project_ids;
  run_threads([&](int) {
    std::vector<std::string> tasks;
    std::vector<std::string> projects;
    for (int n = 0; n < kPerThread; ++n) {
      tasks.push_back(board_.create_task(TaskDraft{project_, Specialty::kCodeReview, "c"})->id);
      projects.push_back(board_.create_project(ProjectDraft{"q"}, "o", 0).id);
    }
    std::lock_guard lock(mutex);
    task_ids.insert(tasks.begin(), tasks.end());
    project_ids.insert(projects.begin(), projects.end());
  });
  EXPECT_EQ(task_ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(project_ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(board_.task_count(), static_cast<std::size_t>(kThreads * kPerThread + 1));
  EXPECT_EQ(board_.list_tasks({.project_id = project_}).size(), board_.task_count());
}

TEST_P(TaskStoreConcurrency, ExpectedVersionRetryLoopsApplyEveryIncrementOnce) {
  constexpr int kPerThread = 200;
  const auto id = add_task();
  std::atomic<int> conflicts{0};
  run_threads([&](int) {
    for (int n = 0; n < kPerThread; ++n) {
      for (;;) {
        const Task seen = *board_.get_task(id);
        StatusUpdate u{id, TaskStatus::kWorking, Json(seen.result.is_null() ? 1 : seen.result.get<int>() + 1)};
        u.expected_version = seen.version;
        u.enforce_transitions = false;
        auto r = board_.update_status(u);
        if (r.ok()) break;
        ASSERT_EQ(r.error().code, ErrorCode::kVersionConflict);
        ++conflicts;
      }
    }
  });
  const Task t = *board_.get_task(id);
  EXPECT_EQ(t.result, kThreads * kPerThread) << "a read-modify-write was lost";
  EXPECT_EQ(t.version, 1u + kThreads * kPerThread);
}

TEST_P(TaskStoreConcurrency, ReadersSeeConsistentTasksWhileWritersChangeThem) {
  const auto id = add_task();
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0};
  std::thread reader([&] {
    while (!done.load()) {
      for (const Task& t : board_.list_tasks({.project_id = project_})) {
        // Writers always set result == version they produce minus one.
        if (!t.result.is_null() && t.result.get<std::uint64_t>() + 1 != t.version) ++inconsistent;
      }
    }
  });
  run_threads([&](int) {
    for (int n = 0; n < 200; ++n) {
      for (;;) {
        const Task seen = *board_.get_task(id);
        StatusUpdate u{id, TaskStatus::kWorking, Json(seen.version)};
        u.expected_version = seen.version;
        u.enforce_transitions = false;
        if (board_.update_status(u).ok()) break;
      }
    }
  });
  done = true;
  reader.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(board_.get_task(id)->version, 1u + kThreads * 200);
}

INSTANTIATE_TEST_SUITE_P(Stores, TaskStoreConcurrency, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store
