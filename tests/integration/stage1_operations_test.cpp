// Every protocol operation of stage 1 over real sockets on an ephemeral
// loopback port: what each returns, which stable error it gives for bad
// arguments, and the events it publishes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/test_server.h"

namespace lab::test {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

class Stage1OperationsTest : public Stage1Test {
 protected:
  explicit Stage1OperationsTest(TestServerOptions options = {}) : Stage1Test(options) {}

  // A project owned by `client`'s agent, with one task per given specialty.
  std::string make_project(net::ProtocolClient& client, const std::vector<std::string>& specialties = {}) {
    auto project = client.call("create_project", Json{{"name", "apollo"}, {"description", "moon"}});
    EXPECT_TRUE(project.ok()) << code_of(project);
    const std::string id = project.ok() ? project->value("id", "") : "";
    for (const auto& s : specialties) {
      auto task = client.call("create_task", Json{{"project_id", id}, {"specialty", s}, {"description", "do " + s}});
      EXPECT_TRUE(task.ok()) << code_of(task);
    }
    return id;
  }

  std::vector<std::string> task_ids(const Result<Json>& listing) {
    std::vector<std::string> out;
    if (!listing.ok()) return out;
    for (const auto& t : listing->at("tasks")) out.push_back(t.at("id"));
    return out;
  }
};

TEST_F(Stage1OperationsTest, LoginOpensASessionForTheClaimedAgentAndRole) {
  auto client = connect();
  auto session = client.call("login", Json{{"agent_id", "alice"}, {"role", "coordinator"}});
  ASSERT_TRUE(session.ok()) << code_of(session);
  EXPECT_THAT(session->value("session_id", ""), StartsWith("sess_"));
  EXPECT_EQ(session->value("agent_id", ""), "alice");
  EXPECT_EQ(session->value("role", ""), "coordinator");
  EXPECT_EQ(session->value("adopted", true), false);
}

TEST_F(Stage1OperationsTest, LoginWithoutARoleGivesAWorkerSession) {
  auto client = connect();
  auto session = client.call("login", Json{{"agent_id", "bob"}});
  ASSERT_TRUE(session.ok()) << code_of(session);
  EXPECT_EQ(session->value("role", ""), "worker");
}

TEST_F(Stage1OperationsTest, LoginRejectsAMissingAgentOrAnUnknownRole) {
  auto client = connect();
  EXPECT_EQ(error_code_of(client.call("login", Json::object())), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("login", Json{{"agent_id", 7}})), "INVALID_FIELD");
  EXPECT_EQ(error_code_of(client.call("login", Json{{"agent_id", "a"}, {"role", "root"}})), "INVALID_FIELD");
}

TEST_F(Stage1OperationsTest, SessionInfoDescribesTheCallersSessionAndAddress) {
  auto client = login("carol", "observer", "127.0.0.2");
  auto info = client.call("get_session_info");
  ASSERT_TRUE(info.ok()) << code_of(info);
  EXPECT_EQ(info->value("session_id", ""), *client.session_id);
  EXPECT_EQ(info->value("agent_id", ""), "carol");
  EXPECT_EQ(info->value("role", ""), "observer");
  EXPECT_EQ(info->value("client", ""), "127.0.0.2");
  EXPECT_EQ(info->value("logged_out", true), false);
  EXPECT_GT(info->value("created_at", 0), 0);
}

TEST_F(Stage1OperationsTest, SessionInfoWithoutAnySessionIsAuthRequired) {
  auto client = connect();
  EXPECT_EQ(error_code_of(client.call("get_session_info")), "AUTH_REQUIRED");
  EXPECT_EQ(error_code_of(client.call("get_session_info", Json{{"session_id", "sess_999"}})), "AUTH_REQUIRED");
}

TEST_F(Stage1OperationsTest, LogoutMarksTheSessionLoggedOut) {
  auto client = login("dave");
  auto out = client.call("logout");
  ASSERT_TRUE(out.ok()) << code_of(out);
  EXPECT_EQ(out->value("logged_out", false), true);
  auto info = client.call("get_session_info");
  ASSERT_TRUE(info.ok()) << code_of(info);  // VULN V-006: stage 1 keeps honouring the session
  EXPECT_EQ(info->value("logged_out", false), true);
}

TEST_F(Stage1OperationsTest, RegisterWorkerRecordsItsSpecialties) {
  auto client = login("w1");
  auto agent = client.call("register_worker", Json{{"specialties", {"testing", "code_review"}}});
  ASSERT_TRUE(agent.ok()) << code_of(agent);
  EXPECT_EQ(agent->value("id", ""), "w1");
  EXPECT_EQ(agent->value("role", ""), "worker");
  EXPECT_EQ(agent->at("specialties"), (Json{"testing", "code_review"}));
}

TEST_F(Stage1OperationsTest, RegisterWorkerNeedsAtLeastOneKnownSpecialty) {
  auto client = login("w1");
  EXPECT_EQ(error_code_of(client.call("register_worker")), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("register_worker", Json{{"specialties", Json::array()}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("register_worker", Json{{"specialties", {"cooking"}}})), "INVALID_FIELD");
  EXPECT_EQ(error_code_of(client.call("register_worker", Json{{"specialties", "testing"}})), "INVALID_FIELD");
}

TEST_F(Stage1OperationsTest, CreateProjectIsOwnedByTheCallerAndListed) {
  auto client = login("alice", "coordinator");
  auto project =
      client.call("create_project", Json{{"name", "apollo"}, {"description", "moon"}, {"metadata", {{"budget", 3}}}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  EXPECT_EQ(project->value("id", ""), "proj_1");
  EXPECT_EQ(project->value("name", ""), "apollo");
  EXPECT_EQ(project->value("description", ""), "moon");
  EXPECT_EQ(project->value("owner", ""), "alice");
  EXPECT_EQ(project->at("metadata"), (Json{{"budget", 3}}));

  auto listing = client.call("list_projects");
  ASSERT_TRUE(listing.ok()) << code_of(listing);
  ASSERT_EQ(listing->at("projects").size(), 1u);
  EXPECT_EQ(listing->at("projects")[0], *project);
}

TEST_F(Stage1OperationsTest, CreateProjectRejectsAMissingOrMistypedName) {
  auto client = login("alice", "coordinator");
  EXPECT_EQ(error_code_of(client.call("create_project", Json{{"description", "x"}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_project", Json{{"name", 12}})), "INVALID_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_project", Json{{"name", "n"}, {"metadata", "m"}})), "INVALID_FIELD");
  EXPECT_TRUE(client.call("list_projects")->at("projects").empty());
}

TEST_F(Stage1OperationsTest, GetProjectReturnsTheProjectWithItsTasks) {
  auto client = login("alice", "coordinator");
  const auto id = make_project(client, {"testing", "documentation"});
  auto got = client.call("get_project", Json{{"project_id", id}});
  ASSERT_TRUE(got.ok()) << code_of(got);
  EXPECT_EQ(got->at("project").value("name", ""), "apollo");
  ASSERT_EQ(got->at("tasks").size(), 2u);
  EXPECT_EQ(got->at("tasks")[0].value("specialty", ""), "testing");
  EXPECT_EQ(got->at("tasks")[1].value("specialty", ""), "documentation");
  EXPECT_EQ(error_code_of(client.call("get_project", Json{{"project_id", "proj_77"}})), "PROJECT_NOT_FOUND");
  EXPECT_EQ(error_code_of(client.call("get_project")), "MISSING_FIELD");
}

TEST_F(Stage1OperationsTest, CreateTaskAddsASubmittedUnassignedTask) {
  auto client = login("alice", "coordinator");
  const auto id = make_project(client);
  auto task = client.call("create_task", Json{{"project_id", id},
                                              {"specialty", "data_analysis"},
                                              {"description", "sum"},
                                              {"input", "1 2 3"},
                                              {"priority", 4}});
  ASSERT_TRUE(task.ok()) << code_of(task);
  EXPECT_EQ(task->value("id", ""), "task_1");
  EXPECT_EQ(task->value("project_id", ""), id);
  EXPECT_EQ(task->value("specialty", ""), "data_analysis");
  EXPECT_EQ(task->value("input", ""), "1 2 3");
  EXPECT_EQ(task->value("priority", 0), 4);
  EXPECT_EQ(task->value("status", ""), "submitted");
  EXPECT_EQ(task->value("assignee", "x"), "");
  EXPECT_TRUE(task->at("result").is_null());
  EXPECT_EQ(task->value("version", 0), 1);
}

TEST_F(Stage1OperationsTest, CreateTaskRejectsBadArguments) {
  auto client = login("alice", "coordinator");
  const auto id = make_project(client);
  const Json ok{{"project_id", id}, {"specialty", "testing"}, {"description", "d"}};
  auto without = [&](const char* field) {
    Json p = ok;
    p.erase(field);
    return p;
  };
  auto with = [&](const char* field, Json v) {
    Json p = ok;
    p[field] = std::move(v);
    return p;
  };
  EXPECT_EQ(error_code_of(client.call("create_task", without("project_id"))), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_task", without("specialty"))), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_task", without("description"))), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_task", with("specialty", "cooking"))), "INVALID_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_task", with("priority", "high"))), "INVALID_FIELD");
  EXPECT_EQ(error_code_of(client.call("create_task", with("project_id", "proj_404"))), "PROJECT_NOT_FOUND");
  EXPECT_TRUE(client.call("list_tasks")->at("tasks").empty());
}

TEST_F(Stage1OperationsTest, ListTasksFiltersByProjectSpecialtyStatusAndAssignee) {
  auto coord = login("alice", "coordinator");
  const auto p1 = make_project(coord, {"testing", "code_review"});  // task_1, task_2
  const auto p2 = make_project(coord, {"testing"});                 // task_3
  auto worker = login("w1");
  ASSERT_TRUE(worker.call("claim_task", Json{{"task_id", "task_3"}}).ok());

  EXPECT_THAT(task_ids(coord.call("list_tasks")), ElementsAre("task_1", "task_2", "task_3"));
  EXPECT_THAT(task_ids(coord.call("list_tasks", Json{{"project_id", p1}})), ElementsAre("task_1", "task_2"));
  EXPECT_THAT(task_ids(coord.call("list_tasks", Json{{"specialty", "testing"}})), ElementsAre("task_1", "task_3"));
  EXPECT_THAT(task_ids(coord.call("list_tasks", Json{{"status", "submitted"}})), ElementsAre("task_1", "task_2"));
  EXPECT_THAT(task_ids(coord.call("list_tasks", Json{{"assignee", "w1"}})), ElementsAre("task_3"));
  EXPECT_THAT(task_ids(coord.call("list_tasks", Json{{"project_id", p2}, {"status", "working"}})),
              ElementsAre("task_3"));
  EXPECT_EQ(error_code_of(coord.call("list_tasks", Json{{"status", "done"}})), "INVALID_FIELD");
}

TEST_F(Stage1OperationsTest, ClaimTaskAssignsItToTheCallerOnce) {
  auto coord = login("alice", "coordinator");
  make_project(coord, {"testing"});
  auto w1 = login("w1");
  auto claimed = w1.call("claim_task", Json{{"task_id", "task_1"}});
  ASSERT_TRUE(claimed.ok()) << code_of(claimed);
  EXPECT_EQ(claimed->value("status", ""), "working");
  EXPECT_EQ(claimed->value("assignee", ""), "w1");
  EXPECT_EQ(claimed->value("version", 0), 2);

  auto w2 = login("w2");
  EXPECT_EQ(error_code_of(w2.call("claim_task", Json{{"task_id", "task_1"}})), "ALREADY_CLAIMED");
  EXPECT_EQ(error_code_of(w2.call("claim_task", Json{{"task_id", "task_9"}})), "TASK_NOT_FOUND");
  EXPECT_EQ(error_code_of(w2.call("claim_task")), "MISSING_FIELD");
}

TEST_F(Stage1OperationsTest, UpdateTaskStatusCompletesATaskWithItsResult) {
  auto coord = login("alice", "coordinator");
  const auto pid = make_project(coord, {"documentation"});
  auto worker = login("w1");
  ASSERT_TRUE(worker.call("claim_task", Json{{"task_id", "task_1"}}).ok());
  auto done = worker.call("update_task_status",
                          Json{{"task_id", "task_1"}, {"status", "completed"}, {"result", {{"words", 12}}}});
  ASSERT_TRUE(done.ok()) << code_of(done);
  EXPECT_EQ(done->value("status", ""), "completed");
  EXPECT_EQ(done->at("result"), (Json{{"words", 12}}));
  EXPECT_EQ(done->value("version", 0), 3);

  auto seen = coord.call("get_project", Json{{"project_id", pid}});
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->at("tasks")[0].value("status", ""), "completed");
  EXPECT_EQ(seen->at("tasks")[0].at("result"), (Json{{"words", 12}}));
}

TEST_F(Stage1OperationsTest, UpdateTaskStatusRejectsBadArguments) {
  auto coord = login("alice", "coordinator");
  make_project(coord, {"testing"});
  EXPECT_EQ(error_code_of(coord.call("update_task_status", Json{{"task_id", "task_1"}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(coord.call("update_task_status", Json{{"status", "working"}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(coord.call("update_task_status", Json{{"task_id", "task_1"}, {"status", "done"}})),
            "INVALID_FIELD");
  EXPECT_EQ(error_code_of(coord.call("update_task_status", Json{{"task_id", "task_8"}, {"status", "working"}})),
            "TASK_NOT_FOUND");
}

// VULN V-009 / V-012: stage 1 applies any status jump and ignores expected_version.
TEST_F(Stage1OperationsTest, Stage1AppliesAnyStatusJumpAndIgnoresExpectedVersion) {
  auto coord = login("alice", "coordinator");
  make_project(coord, {"testing"});
  auto skip = coord.call("update_task_status", Json{{"task_id", "task_1"}, {"status", "completed"}});
  ASSERT_TRUE(skip.ok()) << code_of(skip);
  auto reopen =
      coord.call("update_task_status", Json{{"task_id", "task_1"}, {"status", "working"}, {"expected_version", 99}});
  ASSERT_TRUE(reopen.ok()) << code_of(reopen);
  EXPECT_EQ(reopen->value("status", ""), "working");
  EXPECT_EQ(reopen->value("version", 0), 3);
}

TEST_F(Stage1OperationsTest, ChangeRoleUpdatesTheAgentDirectory) {
  auto admin = login("root", "admin");
  auto bob = login("bob");
  auto changed = admin.call("change_role", Json{{"agent_id", "bob"}, {"role", "coordinator"}});
  ASSERT_TRUE(changed.ok()) << code_of(changed);
  EXPECT_EQ(changed->value("agent_id", ""), "bob");
  EXPECT_EQ(changed->value("role", ""), "coordinator");
  EXPECT_EQ(changed->value("previous_role", ""), "worker");
  auto registered = bob.call("register_worker", Json{{"specialties", {"testing"}}});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(registered->value("role", ""), "coordinator");

  auto fresh = admin.call("change_role", Json{{"agent_id", "nobody"}, {"role", "observer"}});
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->at("previous_role").is_null());
  EXPECT_EQ(error_code_of(admin.call("change_role", Json{{"role", "admin"}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(admin.call("change_role", Json{{"agent_id", "bob"}})), "MISSING_FIELD");
  EXPECT_EQ(error_code_of(admin.call("change_role", Json{{"agent_id", "bob"}, {"role", "god"}})), "INVALID_FIELD");
}

TEST_F(Stage1OperationsTest, RequestIdsAreEchoedVerbatim) {
  auto client = connect();
  for (const Json& id : {Json("abc-1"), Json(42), Json(-7)}) {
    auto resp = client.request(Json{{"type", "list_projects"}, {"request_id", id}});
    ASSERT_TRUE(resp.ok()) << code_of(resp);
    EXPECT_EQ(resp->at("request_id"), id);
    EXPECT_EQ(resp->value("status", ""), "ok");
  }
}

TEST_F(Stage1OperationsTest, UnknownOperationIsUnknownType) {
  auto client = connect();
  EXPECT_EQ(error_code_of(client.call("get_task", Json{{"task_id", "task_1"}})), "UNKNOWN_TYPE");
}

TEST_F(Stage1OperationsTest, SubscriberReceivesAnEventForEveryOperationInSeqOrder) {
  auto auditor = login("auditor", "observer");
  auto sub = auditor.call("subscribe_events");
  ASSERT_TRUE(sub.ok()) << code_of(sub);
  EXPECT_EQ(sub->value("subscribed", false), true);
  auto first = next_event_of_kind(auditor, "subscribed");
  ASSERT_TRUE(first.ok()) << code_of(first);

  auto alice = login("alice", "coordinator", "127.0.0.2");
  auto project = alice.call("create_project", Json{{"name", "apollo"}});
  ASSERT_TRUE(project.ok());
  ASSERT_TRUE(
      alice.call("create_task", Json{{"project_id", "proj_1"}, {"specialty", "testing"}, {"description", "t"}}).ok());
  ASSERT_TRUE(alice.call("register_worker", Json{{"specialties", {"testing"}}}).ok());
  ASSERT_TRUE(alice.call("claim_task", Json{{"task_id", "task_1"}}).ok());
  ASSERT_TRUE(alice.call("update_task_status", Json{{"task_id", "task_1"}, {"status", "completed"}}).ok());
  ASSERT_TRUE(alice.call("change_role", Json{{"agent_id", "w9"}, {"role", "observer"}}).ok());
  EXPECT_FALSE(alice.call("claim_task", Json{{"task_id", "task_1"}}).ok());
  ASSERT_TRUE(alice.call("logout").ok());

  const std::vector<std::string> expected = {"session_created",   "project_created",  "task_created",
                                             "worker_registered", "task_claimed",     "task_status_changed",
                                             "role_changed",      "request_rejected", "session_ended"};
  std::uint64_t last_seq = first->value("seq", std::uint64_t{0});
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    auto event = auditor.next_event(kClientTimeout);
    ASSERT_TRUE(event.ok()) << "event " << i << ": " << code_of(event);
    kinds.push_back(event->value("kind", ""));
    EXPECT_EQ(event->value("seq", std::uint64_t{0}), last_seq + 1) << "events must arrive in seq order";
    last_seq = event->value("seq", std::uint64_t{0});
    // Rejections are published before (or without) authentication: agent "unknown".
    EXPECT_EQ(event->value("agent_id", ""), kinds.back() == "request_rejected" ? "unknown" : "alice");
    EXPECT_EQ(event->value("peer_address", ""), "127.0.0.2");
    EXPECT_FALSE(event->value("time", "").empty());
    EXPECT_TRUE(event->at("request_id").is_string());
    const Json& data = event->at("data");
    if (kinds.back() == "project_created") {
      EXPECT_EQ(data.value("project_id", ""), "proj_1");
    }
    if (kinds.back() == "task_claimed") {
      EXPECT_EQ(data.value("version", 0), 2);
    }
    if (kinds.back() == "task_status_changed") {
      EXPECT_EQ(data.value("status", ""), "completed");
    }
    if (kinds.back() == "request_rejected") {
      EXPECT_EQ(data.value("code", ""), "ALREADY_CLAIMED");
    }
    // VULN V-024: stage 1 publishes raw session ids to every subscriber.
    EXPECT_EQ(event->value("session", ""), *alice.session_id);
  }
  EXPECT_EQ(kinds, expected);
}

TEST_F(Stage1OperationsTest, EverySubscriberGetsEachEvent) {
  auto a = connect();
  auto b = connect();
  ASSERT_TRUE(a.call("subscribe_events").ok());
  ASSERT_TRUE(b.call("subscribe_events").ok());
  auto creator = login("alice", "coordinator");
  ASSERT_TRUE(creator.call("create_project", Json{{"name", "shared"}}).ok());
  auto ea = next_event_of_kind(a, "project_created");
  auto eb = next_event_of_kind(b, "project_created");
  ASSERT_TRUE(ea.ok()) << code_of(ea);
  ASSERT_TRUE(eb.ok()) << code_of(eb);
  EXPECT_EQ(*ea, *eb);
  EXPECT_EQ(ea->at("data").value("name", ""), "shared");
}

class Stage1PersistenceTest : public Stage1OperationsTest {
 protected:
  Stage1PersistenceTest() : Stage1OperationsTest(TestServerOptions{.with_state_dir = true}) {}
};

TEST_F(Stage1PersistenceTest, ProjectsTasksAndSessionsSurviveARestart) {
  ASSERT_FALSE(server_.state_dir().empty());
  std::string session;
  {
    auto alice = login("alice", "coordinator");
    session = *alice.session_id;
    make_project(alice, {"testing"});
    ASSERT_TRUE(alice.call("claim_task", Json{{"task_id", "task_1"}}).ok());
  }
  server_.server().stop();  // flushes the state file

  auto restarted =
      stage1::make_server(coordinator::StageConfig{.port = 0, .threads = 1, .state_dir = server_.state_dir()});
  ASSERT_TRUE(restarted->start().ok());
  net::ProtocolClient client;
  ASSERT_TRUE(client.connect(net::ClientOptions{.port = restarted->port(), .timeout = kClientTimeout}).ok());
  client.session_id = session;
  auto info = client.call("get_session_info");
  ASSERT_TRUE(info.ok()) << code_of(info);
  EXPECT_EQ(info->value("agent_id", ""), "alice");
  auto tasks = client.call("list_tasks");
  ASSERT_TRUE(tasks.ok()) << code_of(tasks);
  ASSERT_EQ(tasks->at("tasks").size(), 1u);
  EXPECT_EQ(tasks->at("tasks")[0].value("assignee", ""), "alice");
  EXPECT_EQ(tasks->at("tasks")[0].value("version", 0), 2);
  auto next = client.call("create_project", Json{{"name", "after-restart"}});
  ASSERT_TRUE(next.ok()) << code_of(next);
  EXPECT_EQ(next->value("id", ""), "proj_2") << "ids continue after a restart";
  restarted->stop();
}

}  // namespace
}  // namespace lab::test
