// The A2A task lifecycle: names on the wire and the allowed transitions.
#include "core/task_status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace lab {
namespace {

using enum TaskStatus;

constexpr TaskStatus kAll[] = {kSubmitted, kWorking, kInputRequired, kCompleted, kFailed, kCanceled, kRejected};

TEST(TaskStatusTest, WireNamesAreTheA2ANames) {
  EXPECT_EQ(to_string(kSubmitted), "submitted");
  EXPECT_EQ(to_string(kWorking), "working");
  EXPECT_EQ(to_string(kInputRequired), "input-required");
  EXPECT_EQ(to_string(kCompleted), "completed");
  EXPECT_EQ(to_string(kFailed), "failed");
  EXPECT_EQ(to_string(kCanceled), "canceled");
  EXPECT_EQ(to_string(kRejected), "rejected");
}

TEST(TaskStatusTest, EveryNameParsesBackToItsStatus) {
  for (TaskStatus s : kAll) {
    EXPECT_EQ(task_status_from_string(to_string(s)), s) << to_string(s);
  }
}

TEST(TaskStatusTest, UnknownOrMisspelledNamesAreRejected) {
  for (const char* name : {"", "done", "Submitted", "WORKING", "input_required", "cancelled", " working"}) {
    EXPECT_EQ(task_status_from_string(name), std::nullopt) << '"' << name << '"';
  }
}

TEST(TaskStatusTest, OnlyCompletedFailedCanceledRejectedAreTerminal) {
  EXPECT_FALSE(is_terminal(kSubmitted));
  EXPECT_FALSE(is_terminal(kWorking));
  EXPECT_FALSE(is_terminal(kInputRequired));
  EXPECT_TRUE(is_terminal(kCompleted));
  EXPECT_TRUE(is_terminal(kFailed));
  EXPECT_TRUE(is_terminal(kCanceled));
  EXPECT_TRUE(is_terminal(kRejected));
}

TEST(TaskStatusTest, TransitionTableMatchesTheA2AStateMachine) {
  const std::set<std::pair<TaskStatus, TaskStatus>> allowed = {
      {kSubmitted, kWorking},    {kSubmitted, kCanceled},     {kSubmitted, kRejected}, {kWorking, kInputRequired},
      {kWorking, kCompleted},    {kWorking, kFailed},         {kWorking, kCanceled},   {kInputRequired, kWorking},
      {kInputRequired, kFailed}, {kInputRequired, kCanceled},
  };
  for (TaskStatus from : kAll) {
    for (TaskStatus to : kAll) {
      EXPECT_EQ(is_allowed_transition(from, to), allowed.contains({from, to}))
          << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(TaskStatusTest, TerminalStatesNeverChange) {
  for (TaskStatus from : kAll) {
    if (!is_terminal(from)) continue;
    for (TaskStatus to : kAll) {
      EXPECT_FALSE(is_allowed_transition(from, to)) << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(TaskStatusTest, ATaskCannotSkipWorkToCompleted) {
  EXPECT_FALSE(is_allowed_transition(kSubmitted, kCompleted));
  EXPECT_FALSE(is_allowed_transition(kInputRequired, kCompleted));
}

}  // namespace
}  // namespace lab
