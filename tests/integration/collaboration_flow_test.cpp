// The lab's collaboration story end to end: a coordinator posts a project with
// tasks of every specialty, workers in their own threads claim the tasks that
// match their specialty, do the work and report results, and an auditor
// subscribed to the event stream sees the whole story, in seq order.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/test_server.h"

namespace lab::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFlowDeadline = std::chrono::seconds(30);
constexpr int kTasksPerSpecialty = 3;
constexpr int kWorkersPerSpecialty = 2;

// The "real piece of work": count the words of the task's input.
int count_words(const std::string& text) {
  std::istringstream in(text);
  return static_cast<int>(std::distance(std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()));
}

struct WorkerReport {
  std::string agent_id;
  std::vector<std::string> completed;
  std::vector<std::string> errors;  // anything that went wrong, for the main thread to assert on
};

class CollaborationFlowTest : public Stage1Test {
 protected:
  // Logs in, registers for `specialty`, then claims and completes matching
  // tasks until none is left or the deadline passes.
  WorkerReport run_worker(const std::string& agent_id, const std::string& specialty, Clock::time_point deadline) {
    WorkerReport report{agent_id};
    auto fail = [&](const std::string& what, const auto& r) { report.errors.push_back(what + ": " + code_of(r)); };
    net::ProtocolClient client;
    if (auto s = client.connect(server_.client_options()); !s) {
      fail("connect", s);
      return report;
    }
    auto session = client.call("login", Json{{"agent_id", agent_id}, {"role", "worker"}});
    if (!session) {
      fail("login", session);
      return report;
    }
    client.session_id = session->value("session_id", "");
    if (auto r = client.call("register_worker", Json{{"specialties", {specialty}}}); !r) {
      fail("register_worker", r);
      return report;
    }
    while (Clock::now() < deadline) {
      auto open = client.call("list_tasks", Json{{"status", "submitted"}, {"specialty", specialty}});
      if (!open) {
        fail("list_tasks", open);
        return report;
      }
      if (open->at("tasks").empty()) return report;
      for (const Json& task : open->at("tasks")) {
        const std::string id = task.value("id", "");
        auto claimed = client.call("claim_task", Json{{"task_id", id}});
        if (!claimed) {
          if (claimed.error().code != ErrorCode::kAlreadyClaimed) fail("claim " + id, claimed);
          continue;  // another worker of this specialty was faster
        }
        const Json result{{"word_count", count_words(task.value("input", ""))}, {"worker", agent_id}};
        auto done =
            client.call("update_task_status", Json{{"task_id", id}, {"status", "completed"}, {"result", result}});
        if (!done) {
          fail("complete " + id, done);
          continue;
        }
        report.completed.push_back(id);
      }
    }
    report.errors.push_back("deadline passed with tasks left");
    return report;
  }
};

TEST_F(CollaborationFlowTest, WorkersCompleteEveryTaskAndTheAuditorSeesItAllInOrder) {
  const auto deadline = Clock::now() + kFlowDeadline;

  // The auditor subscribes before anything happens.
  auto auditor = login("auditor", "observer");
  ASSERT_TRUE(auditor.call("subscribe_events").ok());

  // The coordinator posts the project and its tasks.
  auto coordinator = login("coord", "coordinator");
  auto project = coordinator.call("create_project", Json{{"name", "release-1.0"}, {"description", "ship it"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  const std::string project_id = project->value("id", "");
  std::map<std::string, std::string> specialty_of;  // task id -> specialty
  std::map<std::string, int> expected_words;        // task id -> word count of its input
  for (Specialty s : kAllSpecialties) {
    for (int n = 1; n <= kTasksPerSpecialty; ++n) {
      std::string input;
      for (int w = 0; w < n * 2 + static_cast<int>(s); ++w) input += "word" + std::to_string(w) + " ";
      auto task =
          coordinator.call("create_task", Json{{"project_id", project_id},
                                               {"specialty", to_string(s)},
                                               {"description", std::string(to_string(s)) + " #" + std::to_string(n)},
                                               {"input", input}});
      ASSERT_TRUE(task.ok()) << code_of(task);
      specialty_of[task->value("id", "")] = to_string(s);
      expected_words[task->value("id", "")] = count_words(input);
    }
  }

  // Workers, kWorkersPerSpecialty per specialty, each on its own thread and connection.
  std::mutex mutex;
  std::vector<WorkerReport> reports;
  std::vector<std::thread> workers;
  for (Specialty s : kAllSpecialties) {
    for (int n = 0; n < kWorkersPerSpecialty; ++n) {
      const std::string agent = std::string(to_string(s)) + "-worker-" + std::to_string(n);
      workers.emplace_back([&, agent, s] {
        WorkerReport r = run_worker(agent, std::string(to_string(s)), deadline);
        std::lock_guard lock(mutex);
        reports.push_back(std::move(r));
      });
    }
  }
  for (auto& t : workers) t.join();

  // Every worker finished cleanly; every task was completed exactly once.
  std::multiset<std::string> completed;
  for (const auto& r : reports) {
    EXPECT_TRUE(r.errors.empty()) << r.agent_id << ": " << ::testing::PrintToString(r.errors);
    completed.insert(r.completed.begin(), r.completed.end());
  }
  EXPECT_EQ(completed.size(), specialty_of.size());
  for (const auto& [id, s] : specialty_of) EXPECT_EQ(completed.count(id), 1u) << id;

  // The coordinator sees every task completed by a worker of its specialty, with the right result.
  auto final_state = coordinator.call("get_project", Json{{"project_id", project_id}});
  ASSERT_TRUE(final_state.ok()) << code_of(final_state);
  ASSERT_EQ(final_state->at("tasks").size(), specialty_of.size());
  for (const Json& task : final_state->at("tasks")) {
    const std::string id = task.value("id", "");
    EXPECT_EQ(task.value("status", ""), "completed") << id;
    EXPECT_EQ(task.value("assignee", "").rfind(specialty_of[id] + "-worker-", 0), 0u)
        << id << " done by " << task.value("assignee", "");
    ASSERT_TRUE(task.at("result").is_object()) << id;
    EXPECT_EQ(task.at("result").value("word_count", -1), expected_words[id]) << id;
    EXPECT_EQ(task.at("result").value("worker", ""), task.value("assignee", "")) << id;
    EXPECT_EQ(task.value("version", 0), 3) << id << ": claimed once, completed once";
  }

  // The auditor saw the story: every event in seq order with no gaps, and for
  // each task created -> claimed -> completed.
  std::map<std::string, std::vector<std::string>> story;  // task id -> kinds in order
  std::set<std::string> kinds;
  std::size_t completions = 0;
  std::uint64_t last_seq = 0;
  while (completions < specialty_of.size()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto event = auditor.next_event(std::max(left, std::chrono::milliseconds(1)));
    ASSERT_TRUE(event.ok()) << "auditor saw " << completions << " of " << specialty_of.size()
                            << " completions: " << code_of(event);
    const std::uint64_t seq = event->value("seq", std::uint64_t{0});
    if (last_seq != 0) {
      EXPECT_EQ(seq, last_seq + 1) << "events must arrive in seq order without gaps";
    }
    last_seq = seq;
    const std::string kind = event->value("kind", "");
    kinds.insert(kind);
    const Json& data = event->at("data");
    const std::string task_id = data.value("task_id", "");
    if (kind == "task_created" || kind == "task_claimed") story[task_id].push_back(kind);
    if (kind == "task_status_changed") {
      story[task_id].push_back(kind + ":" + data.value("status", ""));
      if (data.value("status", "") == "completed") ++completions;
    }
  }
  for (const char* kind : {"subscribed", "session_created", "project_created", "task_created", "worker_registered",
                           "task_claimed", "task_status_changed"}) {
    EXPECT_TRUE(kinds.contains(kind)) << "no " << kind << " event";
  }
  for (const auto& [id, s] : specialty_of) {
    EXPECT_EQ(story[id], (std::vector<std::string>{"task_created", "task_claimed", "task_status_changed:completed"}))
        << id;
  }
}

}  // namespace
}  // namespace lab::test
