// The lab's own agents face peer-supplied data: a worker finishes a task
// whose input would crash naive arithmetic, and the interactive client shows
// a hostile project name escaped instead of sending it to the terminal.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "agents/agent_connection.h"
#include "agents/auditor_agent.h"
#include "agents/client_menu.h"
#include "agents/worker_agent.h"
#include "integration/test_server.h"
#include "integration/stage2_test_server.h"

namespace lab::test {
namespace {

class AgentRobustness : public Stage1Test {};

TEST_F(AgentRobustness, AWorkerSurvivesAnOverflowingTestCaseAndTheTaskEnds) {
  auto lead = login("lead", "coordinator");
  auto project = lead.call("create_project", Json{{"name", "arith"}});
  ASSERT_TRUE(project.ok());
  auto task = lead.call("create_task", Json{{"project_id", project->value("id", "")},
                                            {"specialty", "testing"},
                                            {"description", "hostile arithmetic"},
                                            {"input", "549755813888*16777216/-1=0\n1+1=2\n"}});
  ASSERT_TRUE(task.ok());

  agents::WorkerOptions o;
  o.stage = 1;
  o.endpoint = server_.client_options();
  o.identity = client::Identity{"tester", Role::kWorker, ""};
  o.specialty = Specialty::kTesting;
  o.poll_interval = std::chrono::milliseconds(20);
  o.max_tasks = 1;
  o.idle_exit = std::chrono::seconds(5);
  auto report = agents::run_worker(o);  // the old worker died here with SIGFPE
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->completed + report->failed, 1);

  auto done = lead.call("list_tasks", Json{{"project_id", project->value("id", "")}});
  ASSERT_TRUE(done.ok());
  const Json& t = done->at("tasks").at(0);
  EXPECT_EQ(t.value("status", ""), "completed") << t.dump();
  const Json& cases = t.at("result").at("cases");
  EXPECT_EQ(cases.at(0).value("verdict", ""), "invalid");
  EXPECT_EQ(cases.at(0).value("reason", ""), "integer overflow");
  EXPECT_EQ(cases.at(1).value("verdict", ""), "pass");
}

// A refused login is not retried (each retry would cost the server a password hash): the worker and the auditor
// stop at once, saying why and which accounts the stage knows. A coordinator that is not there is retried.
TEST(AgentsFacingRefusal, StopAtOnceWithTheReasonAndTheValidIds) {
  Stage2TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  const net::ClientOptions& endpoint = server.endpoint();
  std::vector<std::string> said;

  agents::WorkerOptions w;
  w.stage = 2;
  w.endpoint = endpoint;
  w.identity = client::Identity{"bob", Role::kWorker, "not-bobs-password"};
  w.log = [&](const std::string& line) { said.push_back(line); };
  const auto started = std::chrono::steady_clock::now();
  auto worker = agents::run_worker(w);
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.error().code, ErrorCode::kAuthFailed);
  EXPECT_NE(worker.error().message.find("not retrying"), std::string::npos) << worker.error().message;
  EXPECT_NE(worker.error().message.find("alice"), std::string::npos) << "names the accounts that exist";
  EXPECT_TRUE(said.empty()) << "no reconnect attempt: " << said.front();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));

  agents::AuditorOptions a;
  a.stage = 2;
  a.endpoint = endpoint;
  a.identity = client::Identity{"nobody", Role::kObserver, "x"};
  a.log_file = ::testing::TempDir() + "refused_auditor.jsonl";
  auto auditor = agents::run_auditor(a);
  ASSERT_FALSE(auditor.ok());
  EXPECT_EQ(auditor.error().code, ErrorCode::kAuthFailed);

  // No coordinator at all: tried again, then given up with the transport's error.
  EXPECT_TRUE(agents::worth_retrying(Error{ErrorCode::kConnectionFailed, "refused"}));
  EXPECT_FALSE(agents::worth_retrying(Error{ErrorCode::kAccountLocked, "locked"}));
}

// The coordinator says which stage it is at login: a client made for another stage stops there with the stage to
// use, and one whose login the other stage cannot even read hears that it may be at the wrong stage.
TEST_F(AgentRobustness, AClientForAnotherStageIsToldWhichStageItReached) {
  auto as_stage2 = client::open_session(2, server_.client_options(),
                                        client::Identity{"alice", Role::kCoordinator, client::lab_password("alice")});
  ASSERT_FALSE(as_stage2.ok());
  EXPECT_NE(as_stage2.error().message.find("this coordinator is stage 1, not stage 2: connect with --stage 1"),
            std::string::npos)
      << as_stage2.error().message;

  Stage2TestServer stage2;
  ASSERT_TRUE(stage2.start_status().ok());
  auto as_stage1 = client::open_session(1, stage2.endpoint(), client::Identity{"alice", Role::kCoordinator, ""});
  ASSERT_FALSE(as_stage1.ok());
  EXPECT_NE(as_stage1.error().message.find("is the coordinator another stage than stage 1?"), std::string::npos)
      << as_stage1.error().message;
}

TEST_F(AgentRobustness, TheClientShowsHostileTextEscapedNotAsTerminalControls) {
  auto lead = login("lead", "coordinator");
  const std::string hostile = "pwn\x1b]52;c;Y3VybCBldmlsLnNo\x07\x1b[2J\xc2\x9b" "31m\nFAKE PROMPT> ";
  auto project = lead.call("create_project", Json{{"name", hostile}, {"description", hostile}});
  ASSERT_TRUE(project.ok());
  ASSERT_TRUE(lead.call("create_task", Json{{"project_id", project->value("id", "")},
                                            {"specialty", "testing"},
                                            {"description", hostile}})
                  .ok());
  std::istringstream script("\n\n4\n5\n" + project->value("id", "") + "\n0\n");  // log in, list, show, quit
  std::ostringstream screen;
  agents::ClientMenuOptions o{.stage = 1, .endpoint = server_.client_options(), .in = &script, .out = &screen};
  EXPECT_EQ(agents::run_client_menu(o), 0);
  const std::string out = screen.str();
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "an escape byte reached the terminal";
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << "an 8-bit CSI reached the terminal";
  EXPECT_EQ(out.find("\nFAKE PROMPT"), std::string::npos) << "a stored newline drew a line of its own";
  EXPECT_NE(out.find("pwn\\x1b]52;c;"), std::string::npos) << out;
}

}  // namespace
}  // namespace lab::test
