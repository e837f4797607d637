// The TaskStore contract: projects, tasks, claims, status updates and their
// versions. Runs against every implementation in store_implementations().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/store/store_implementations.h"

namespace lab::store {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> ids_of(const std::vector<Task>& tasks) {
  std::vector<std::string> out;
  for (const auto& t : tasks) out.push_back(t.id);
  return out;
}

class TaskStoreContract : public ::testing::TestWithParam<testing::StoreImplementation> {
 protected:
  std::string add_project(const std::string& name = "p", const std::string& owner = "coord") {
    return board_.create_project(ProjectDraft{name, "desc", Json{{"k", "v"}}}, owner, 1700000000).id;
  }
  Task add_task(const std::string& project_id, Specialty s = Specialty::kDataAnalysis, int priority = 0) {
    auto t = board_.create_task(TaskDraft{project_id, s, "describe", "input text", priority});
    EXPECT_TRUE(t.ok());
    return *t;
  }
  std::shared_ptr<StoreSet> stores_ = GetParam().make();
  TaskStore& board_ = stores_->tasks();
};

TEST_P(TaskStoreContract, ProjectsGetSequentialIdsAndKeepTheirFields) {
  const Project p = board_.create_project(ProjectDraft{"alpha", "first", Json{{"team", 1}}}, "alice", 42);
  EXPECT_EQ(p.id, "proj_1");
  EXPECT_EQ(p.name, "alpha");
  EXPECT_EQ(p.description, "first");
  EXPECT_EQ(p.owner, "alice");
  EXPECT_EQ(p.created_at, 42);
  EXPECT_EQ(p.metadata, (Json{{"team", 1}}));
  EXPECT_EQ(add_project(), "proj_2");
  EXPECT_EQ(board_.project_count(), 2u);
}

TEST_P(TaskStoreContract, ProjectsAreListedInCreationOrder) {
  for (int i = 1; i <= 12; ++i) add_project("p" + std::to_string(i));
  const auto projects = board_.list_projects();
  ASSERT_EQ(projects.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(projects[i].name, "p" + std::to_string(i + 1));
}

TEST_P(TaskStoreContract, GetProjectFindsItOrSaysProjectNotFound) {
  const auto id = add_project("alpha");
  EXPECT_EQ(board_.get_project(id)->name, "alpha");
  auto missing = board_.get_project("proj_99");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kProjectNotFound);
}

TEST_P(TaskStoreContract, ANewTaskIsSubmittedUnassignedAtVersionOne) {
  const auto pid = add_project();
  const Task t = add_task(pid, Specialty::kTesting, 5);
  EXPECT_EQ(t.id, "task_1");
  EXPECT_EQ(t.project_id, pid);
  EXPECT_EQ(t.specialty, Specialty::kTesting);
  EXPECT_EQ(t.input, "input text");
  EXPECT_EQ(t.priority, 5);
  EXPECT_EQ(t.status, TaskStatus::kSubmitted);
  EXPECT_EQ(t.assignee, "");
  EXPECT_TRUE(t.result.is_null());
  EXPECT_EQ(t.version, 1u);
  EXPECT_EQ(board_.get_task("task_1")->description, "describe");
}

TEST_P(TaskStoreContract, ATaskForAnUnknownProjectIsRefused) {
  auto r = board_.create_task(TaskDraft{"proj_404", Specialty::kTesting, "d"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProjectNotFound);
  EXPECT_EQ(board_.task_count(), 0u);
}

TEST_P(TaskStoreContract, GetTaskOfAnUnknownIdIsTaskNotFound) {
  EXPECT_EQ(board_.get_task("task_1").error().code, ErrorCode::kTaskNotFound);
}

TEST_P(TaskStoreContract, ListTasksFiltersByProjectStatusSpecialtyAndAssignee) {
  const auto a = add_project("a");
  const auto b = add_project("b");
  const auto t1 = add_task(a, Specialty::kCodeReview);
  const auto t2 = add_task(b, Specialty::kCodeReview);
  const auto t3 = add_task(a, Specialty::kTesting);
  const auto t4 = add_task(a, Specialty::kCodeReview);
  ASSERT_TRUE(board_.claim(ClaimRequest{t4.id, "w1"}).ok());

  EXPECT_THAT(ids_of(board_.list_tasks({})), ElementsAre(t1.id, t2.id, t3.id, t4.id));
  EXPECT_THAT(ids_of(board_.list_tasks({.project_id = a})), ElementsAre(t1.id, t3.id, t4.id));
  EXPECT_THAT(ids_of(board_.list_tasks({.specialty = Specialty::kCodeReview})), ElementsAre(t1.id, t2.id, t4.id));
  EXPECT_THAT(ids_of(board_.list_tasks(
                  {.project_id = a, .status = TaskStatus::kSubmitted, .specialty = Specialty::kCodeReview})),
              ElementsAre(t1.id));
  EXPECT_THAT(ids_of(board_.list_tasks({.assignee = "w1"})), ElementsAre(t4.id));
  EXPECT_TRUE(board_.list_tasks({.project_id = "proj_404"}).empty());
}

TEST_P(TaskStoreContract, ForEachTaskVisitsWhatListTasksReturnsInTheSameOrder) {
  const auto a = add_project("a");
  const auto b = add_project("b");
  const auto t1 = add_task(a, Specialty::kCodeReview);
  add_task(b, Specialty::kTesting);
  const auto t3 = add_task(a, Specialty::kTesting);
  for (const TaskFilter& filter : {TaskFilter{}, TaskFilter{.project_id = a}, TaskFilter{.project_id = "proj_404"},
                                   TaskFilter{.specialty = Specialty::kTesting}}) {
    std::vector<std::string> visited;
    board_.for_each_task(filter, [&](const Task& t) { visited.push_back(t.id); });
    EXPECT_EQ(visited, ids_of(board_.list_tasks(filter)));
  }
  std::vector<std::string> in_a;
  board_.for_each_task({.project_id = a}, [&](const Task& t) { in_a.push_back(t.id); });
  EXPECT_THAT(in_a, ElementsAre(t1.id, t3.id));
}

TEST_P(TaskStoreContract, WrittenTasksAreTheirCurrentStateAfterEveryChange) {
  const auto a = add_project("a");
  const auto t1 = add_task(a, Specialty::kCodeReview);
  const auto t2 = add_task(a, Specialty::kTesting);
  const auto written = [&] {
    JsonTextWriter w;
    board_.write_tasks({.project_id = a}, w);
    return Json::parse(w.text());
  };
  const auto listed = [&] {
    Json out = Json::array();
    for (const Task& t : board_.list_tasks({.project_id = a})) out.push_back(to_json(t));
    return out;
  };
  EXPECT_EQ(written(), listed());
  ASSERT_TRUE(board_.claim(ClaimRequest{t1.id, "w1"}).ok());
  ASSERT_TRUE(board_.update_status(StatusUpdate{t1.id, TaskStatus::kCompleted, Json{{"words", 2}}}).ok());
  ASSERT_TRUE(board_.claim(ClaimRequest{t2.id, "w2"}).ok());
  const Json after = written();
  EXPECT_EQ(after, listed());
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0]["status"], "completed");
  EXPECT_EQ(after[0]["result"], (Json{{"words", 2}}));
  EXPECT_EQ(after[0]["version"], 3);
  EXPECT_EQ(after[1]["assignee"], "w2");
  JsonTextWriter none;
  board_.write_tasks({.project_id = "proj_404"}, none);
  EXPECT_EQ(none.text(), "[]");
}

TEST_P(TaskStoreContract, ClaimMovesASubmittedTaskToWorkingWithTheAssignee) {
  const auto t = add_task(add_project());
  auto claimed = board_.claim(ClaimRequest{t.id, "w1", std::vector{Specialty::kDataAnalysis}});
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  EXPECT_EQ(claimed->status, TaskStatus::kWorking);
  EXPECT_EQ(claimed->assignee, "w1");
  EXPECT_EQ(claimed->version, 2u);
  EXPECT_EQ(board_.get_task(t.id)->assignee, "w1");
}

TEST_P(TaskStoreContract, ASecondClaimIsAlreadyClaimedAndKeepsTheFirstAssignee) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());
  auto second = board_.claim(ClaimRequest{t.id, "w2"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kAlreadyClaimed);
  EXPECT_EQ(board_.get_task(t.id)->assignee, "w1");
  EXPECT_EQ(board_.get_task(t.id)->version, 2u);
}

TEST_P(TaskStoreContract, ClaimChecksTheWorkersSpecialtiesOnlyWhenGiven) {
  const auto t = add_task(add_project(), Specialty::kDocumentation);
  auto mismatch = board_.claim(ClaimRequest{t.id, "w1", std::vector{Specialty::kTesting}});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kSpecialtyMismatch);
  auto none = board_.claim(ClaimRequest{t.id, "w1", std::vector<Specialty>{}});
  EXPECT_EQ(none.error().code, ErrorCode::kSpecialtyMismatch);
  EXPECT_EQ(board_.get_task(t.id)->status, TaskStatus::kSubmitted);
  EXPECT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());
}

TEST_P(TaskStoreContract, ClaimOfAnUnknownTaskIsTaskNotFound) {
  EXPECT_EQ(board_.claim(ClaimRequest{"task_7", "w1"}).error().code, ErrorCode::kTaskNotFound);
}

TEST_P(TaskStoreContract, UpdateStatusStoresTheResultAndBumpsTheVersion) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());
  auto done = board_.update_status(StatusUpdate{t.id, TaskStatus::kCompleted, Json{{"words", 2}}});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->status, TaskStatus::kCompleted);
  EXPECT_EQ(done->result, (Json{{"words", 2}}));
  EXPECT_EQ(done->version, 3u);
  EXPECT_EQ(board_.get_task(t.id)->result, (Json{{"words", 2}}));
}

TEST_P(TaskStoreContract, UpdateWithoutResultKeepsThePreviousResult) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());
  ASSERT_TRUE(board_.update_status(StatusUpdate{t.id, TaskStatus::kInputRequired, Json("need more")}).ok());
  auto back = board_.update_status(StatusUpdate{t.id, TaskStatus::kWorking});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->result, "need more");
}

TEST_P(TaskStoreContract, DisallowedTransitionsAreRefusedWithoutAnyChange) {
  const auto t = add_task(add_project());
  auto skip = board_.update_status(StatusUpdate{t.id, TaskStatus::kCompleted, Json("cheat")});
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.error().code, ErrorCode::kInvalidTransition);
  const Task after = *board_.get_task(t.id);
  EXPECT_EQ(after.status, TaskStatus::kSubmitted);
  EXPECT_TRUE(after.result.is_null());
  EXPECT_EQ(after.version, 1u);
}

TEST_P(TaskStoreContract, TerminalTasksCannotBeReopened) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.update_status(StatusUpdate{t.id, TaskStatus::kCanceled}).ok());
  EXPECT_EQ(board_.update_status(StatusUpdate{t.id, TaskStatus::kWorking}).error().code, ErrorCode::kInvalidTransition);
}

TEST_P(TaskStoreContract, WithoutEnforcementAnyStatusJumpIsApplied) {
  const auto t = add_task(add_project());
  StatusUpdate u{t.id, TaskStatus::kCompleted};
  u.enforce_transitions = false;
  ASSERT_TRUE(board_.update_status(u).ok());
  u.status = TaskStatus::kSubmitted;
  auto reopened = board_.update_status(u);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->status, TaskStatus::kSubmitted);
  EXPECT_EQ(reopened->version, 3u);
}

TEST_P(TaskStoreContract, AStaleExpectedVersionIsAVersionConflict) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());  // now version 2
  StatusUpdate u{t.id, TaskStatus::kCompleted};
  u.expected_version = 1;
  auto stale = board_.update_status(u);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionConflict);
  EXPECT_EQ(board_.get_task(t.id)->status, TaskStatus::kWorking);
  u.expected_version = 2;
  EXPECT_TRUE(board_.update_status(u).ok());
}

TEST_P(TaskStoreContract, OnlyTheAssigneeUpdatesWhenRequired) {
  const auto t = add_task(add_project());
  ASSERT_TRUE(board_.claim(ClaimRequest{t.id, "w1"}).ok());
  StatusUpdate u{t.id, TaskStatus::kCompleted};
  u.required_assignee = "w2";
  EXPECT_EQ(board_.update_status(u).error().code, ErrorCode::kPermissionDenied);
  u.required_assignee = "w1";
  EXPECT_TRUE(board_.update_status(u).ok());
}

TEST_P(TaskStoreContract, UpdateOfAnUnknownTaskIsTaskNotFound) {
  EXPECT_EQ(board_.update_status(StatusUpdate{"task_9"}).error().code, ErrorCode::kTaskNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, TaskStoreContract, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store
