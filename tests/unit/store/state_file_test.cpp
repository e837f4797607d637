// The state file behind stages 1-2's memory stores: every change reaches it,
// a reopened set of stores sees what the last one stored and continues its
// ids, a reader (or a crash) at any moment sees a complete file, and a file
// that cannot be trusted is refused, or ignored when the stage says so.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/file_io.h"
#include "store/memory_store_set.h"

namespace lab::store {
namespace {

using namespace std::chrono_literals;

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "lab_state_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ / "state.json";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Json on_disk() const { return Json::parse(read_file(path_).value_or("null")); }
  std::unique_ptr<MemoryStoreSet> open(StateFileOptions options = {}) {
    options.path = path_;
    auto stores = std::make_unique<MemoryStoreSet>(system_clock(), std::move(options));
    stores->load();
    return stores;
  }
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(StateFileTest, EachChangeIsOnDiskWhenTheCallReturns) {
  auto stores = open();
  const Project p = stores->tasks().create_project(ProjectDraft{"alpha"}, "alice", 7);
  ASSERT_EQ(on_disk()["projects"].size(), 1u);
  EXPECT_EQ(on_disk()["projects"][0]["id"], p.id);
  const Task t = *stores->tasks().create_task(TaskDraft{p.id, Specialty::kTesting, "d"});
  ASSERT_TRUE(stores->tasks().claim(ClaimRequest{t.id, "w1"}).ok());
  EXPECT_EQ(on_disk()["tasks"][0]["assignee"], "w1") << "the claim, not only the creation, reached the file";
  stores->agents().set_role("alice", Role::kCoordinator);
  EXPECT_EQ(on_disk()["agents"][0]["role"], "coordinator");
}

TEST_F(StateFileTest, ReopenedStoresHoldEverythingAndContinueTheIds) {
  std::string pid, t1;
  {
    auto stores = open();
    pid = stores->tasks().create_project(ProjectDraft{"alpha"}, "alice", 7).id;
    t1 = stores->tasks().create_task(TaskDraft{pid, Specialty::kTesting})->id;
    ASSERT_TRUE(stores->tasks().claim(ClaimRequest{t1, "w1"}).ok());
    ASSERT_TRUE(stores->tasks().update_status(StatusUpdate{t1, TaskStatus::kCompleted, Json{{"ok", true}}}).ok());
    ASSERT_TRUE(stores->tasks().create_task(TaskDraft{pid}).ok());
    stores->agents().set_specialties("w1", {Specialty::kTesting});
    SessionRecord s{.id = "s1", .agent_id = "w1", .role = Role::kWorker, .created_ms = 5, .last_seen_ms = 5};
    s.signing_key = security::Key256::random();
    ASSERT_TRUE(stores->sessions().insert(s));
  }
  auto again = open();
  const Task restored = *again->tasks().get_task(t1);
  EXPECT_EQ(restored.status, TaskStatus::kCompleted);
  EXPECT_EQ(restored.assignee, "w1");
  EXPECT_EQ(restored.result, (Json{{"ok", true}}));
  EXPECT_EQ(restored.version, 3u);
  EXPECT_EQ(again->tasks().list_tasks({.project_id = pid}).size(), 2u);
  EXPECT_EQ(again->agents().find("w1")->specialties, std::vector{Specialty::kTesting});
  ASSERT_TRUE(again->sessions().find("s1").has_value());
  EXPECT_TRUE(again->sessions().find("s1")->signing_key.has_value());
  EXPECT_EQ(again->tasks().create_project(ProjectDraft{"beta"}, "o", 0).id, "proj_2");
  EXPECT_EQ(again->tasks().create_task(TaskDraft{pid})->id, "task_3");
}

// A hand-edited file may list records out of order and with gaps; the store
// must still never hand out an id that already names something.
TEST_F(StateFileTest, IdsContinueAfterTheHighestSavedOneWhateverTheOrder) {
  ASSERT_TRUE(write_file(path_, Json{{"projects", Json::array({Json{{"id", "proj_9"}, {"name", "n"}, {"description", ""},
                                                                      {"owner", "o"}, {"created_at", 0}}})},
                                     {"tasks", Json::array()}, {"agents", Json::array()}, {"sessions", Json::array()}}
                                    .dump()));
  auto stores = open();
  EXPECT_EQ(stores->tasks().create_project(ProjectDraft{"next"}, "o", 0).id, "proj_10");
  EXPECT_EQ(stores->tasks().project_count(), 2u);
}

TEST_F(StateFileTest, ARemovedSessionLeavesTheFileAndATouchAloneIsNotWritten) {
  auto stores = open();
  ASSERT_TRUE(stores->sessions().insert(SessionRecord{.id = "gone", .agent_id = "a"}));
  ASSERT_TRUE(stores->sessions().insert(SessionRecord{.id = "kept", .agent_id = "a"}));
  ASSERT_TRUE(stores->sessions().touch("kept", 99));
  const Json saved = on_disk();
  for (const auto& s : saved["sessions"]) EXPECT_EQ(s["last_seen_ms"], 0) << "a touch is not a write";
  EXPECT_TRUE(stores->sessions().erase("gone"));
  ASSERT_EQ(on_disk()["sessions"].size(), 1u);
  EXPECT_EQ(on_disk()["sessions"][0]["session_id"], "kept");
}

TEST_F(StateFileTest, WriteBehindAcknowledgesFirstAndWritesOnFlushOrClose) {
  {
    auto stores = open(StateFileOptions{.write_behind = 60s});
    stores->tasks().create_project(ProjectDraft{"late"}, "o", 0);
    EXPECT_FALSE(std::filesystem::exists(path_)) << "acknowledged, not yet written";
    stores->flush();
    EXPECT_EQ(on_disk()["projects"].size(), 1u);
    stores->tasks().create_project(ProjectDraft{"later"}, "o", 0);
  }
  EXPECT_EQ(on_disk()["projects"].size(), 2u) << "closing the stores writes what is pending";
}

TEST_F(StateFileTest, AnUnreadableFileRefusesTheStartUnlessTheStageChoosesToStartEmpty) {
  ASSERT_TRUE(write_file(path_, R"({"projects":)" + std::string(300'000, '[') + std::string(300'000, ']') + "}"));
  EXPECT_ANY_THROW(open()) << "nested deeper than the bound";
  ASSERT_TRUE(write_file(path_, R"({"projects":[{"id":"proj_1"}],"tasks":[],"agents":[],"sessions":[]})"));
  EXPECT_ANY_THROW(open()) << "a record with fields missing";
  auto lenient = open(StateFileOptions{.start_empty_when_unreadable = true});
  EXPECT_EQ(lenient->tasks().project_count(), 0u);
  lenient->agents().set_role("a", Role::kWorker);
  EXPECT_EQ(on_disk()["projects"].size(), 0u) << "the refused records are not written back";
}

TEST_F(StateFileTest, AReaderNeverSeesAPartlyWrittenFile) {
  StateFile file(StateFileOptions{.path = path_});
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done) {
      const auto text = read_file(path_);
      if (!text) continue;
      ++reads;
      if (Json::parse(*text, nullptr, false).is_discarded()) ++torn;
    }
  });
  for (int i = 0; i < 60; ++i) {
    // Alternately large and small, so an in-place rewrite would be caught half done.
    const std::size_t size = (i % 2 == 0) ? 2'000'000 : 10;
    file.record(Change{Collection::kProjects, "proj_1",
                       Json{{"id", "proj_1"}, {"round", i}, {"blob", std::string(size, 'x')}}});
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(file.load()["projects"][0].value("round", -1), 59);
  EXPECT_FALSE(std::filesystem::exists(path_.string() + ".tmp"));
}

}  // namespace
}  // namespace lab::store
