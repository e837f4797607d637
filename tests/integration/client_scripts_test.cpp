// Each stage's client script (data/client_scripts/) drives the interactive
// menu against that stage as a person at the keyboard would: it logs in,
// creates a project, assigns a task, lists and shows the project, with no
// error on the way — and it works on a server that already holds projects.
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "agents/client_menu.h"
#include "integration/stage2_test_server.h"
#include "integration/stage3_test_server.h"
#include "integration/test_server.h"

namespace lab::test {
namespace {

const std::filesystem::path kScripts = std::filesystem::path(LAB_SOURCE_DIR) / "data" / "client_scripts";

// What the menu printed for the stage's script.
std::string run_script(int stage, const net::ClientOptions& endpoint) {
  std::ifstream script(kScripts / ("stage" + std::to_string(stage) + ".txt"));
  EXPECT_TRUE(script.good()) << "no script for stage " << stage;
  std::ostringstream out;
  agents::ClientMenuOptions o;
  o.stage = stage;
  o.endpoint = endpoint;
  o.in = &script;
  o.out = &out;
  o.echo_answers = true;
  EXPECT_EQ(agents::run_client_menu(o), 0) << out.str();
  return out.str();
}

// The script's project (the second one on the server) got its task, and nothing failed.
void expect_the_scripts_work_done(const std::string& out) {
  EXPECT_EQ(out.find("Error:"), std::string::npos) << out;
  EXPECT_EQ(out.find("failed"), std::string::npos) << out;
  EXPECT_EQ(out.find("Unknown option"), std::string::npos) << out;
  EXPECT_NE(out.find("proj_2  Quarterly report"), std::string::npos) << "the project it created, shown\n" << out;
  EXPECT_NE(out.find("Count words"), std::string::npos) << "its task\n" << out;
  EXPECT_NE(out.find("Bye."), std::string::npos) << out;
}

TEST(ClientScripts, Stage1) {
  Stage1TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  auto other = client::open_session(1, server.client_options(), client::Identity{"someone", Role::kCoordinator, ""});
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->call("create_project", Json{{"name", "already there"}}).ok());
  expect_the_scripts_work_done(run_script(1, server.client_options()));
}

TEST(ClientScripts, Stage2) {
  Stage2TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  auto other = server.as("carol");
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->call("create_project", Json{{"name", "already there"}}).ok());
  const std::string out = run_script(2, server.endpoint());
  expect_the_scripts_work_done(out);
  EXPECT_EQ(out.find(client::lab_password("alice")), std::string::npos) << "a password is never echoed";
}

// The stage 2 README's menu table and the menu the client prints name every option alike.
TEST(ClientScripts, TheStage2MenuIsTheReadmesMenu) {
  std::ostringstream out;
  {
    Stage2TestServer server;
    ASSERT_TRUE(server.start_status().ok());
    std::istringstream quit("0\n");
    agents::ClientMenuOptions o{.stage = 2, .endpoint = server.endpoint(), .in = &quit, .out = &out};
    ASSERT_EQ(agents::run_client_menu(o), 0);
  }
  std::ifstream readme(std::filesystem::path(LAB_SOURCE_DIR) / "stages" / "stage2_improved" / "README.md");
  std::string line;
  int rows = 0;
  while (std::getline(readme, line)) {
    // "| 3 | Create project | ..." -> "3. Create project"
    if (line.size() < 5 || line[0] != '|' || !std::isdigit(static_cast<unsigned char>(line[2]))) continue;
    const auto second = line.find('|', 1);
    const auto third = line.find('|', second + 1);
    const std::string number = line.substr(2, second - 3);
    const std::string label = line.substr(second + 2, third - second - 3);
    EXPECT_NE(out.str().find(number + ". " + label + "\n"), std::string::npos) << number << ". " << label;
    ++rows;
  }
  EXPECT_EQ(rows, 12);
}

TEST(ClientScripts, Stage3) {
  Stage3TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  auto other = server.login("carol");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->call("create_project", Json{{"name", "already there"}}).ok());
  const std::string out = run_script(3, server.endpoint());
  expect_the_scripts_work_done(out);
  EXPECT_EQ(out.find(client::lab_password("alice")), std::string::npos) << "a password is never echoed";
}

}  // namespace
}  // namespace lab::test
