// Hostile input against stages 1 and 2 over real sockets: nesting deep enough
// to overflow a recursive copy, oversized results, endless task lists and
// repeated specialties are refused or bounded with a clear code, and the
// server keeps serving everyone.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "client/session.h"
#include "core/file_io.h"
#include "net/line_client.h"
#include "stage1_insecure/stage1.h"
#include "stage2_improved/input_rules.h"
#include "stage2_improved/stage2.h"

namespace lab::test {
namespace {

constexpr std::chrono::milliseconds kTimeout{10'000};

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

class HostileInput : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "lab_hostile_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    state_dir_ = pattern;
    const coordinator::StageConfig config{.port = 0, .threads = 2, .state_dir = state_dir_,
                                          .flush_interval = std::chrono::milliseconds(20), .bcrypt_cost = 4};
    server_ = stage() == 1 ? stage1::make_server(config)
                           : stage2::make_server(config);
    ASSERT_TRUE(server_->start().ok());
    endpoint_ = net::ClientOptions{.host = "127.0.0.1", .port = server_->port(), .timeout = kTimeout};
  }
  void TearDown() override {
    server_->stop();
    server_.reset();
    std::filesystem::remove_all(state_dir_);
  }

  int stage() const { return GetParam(); }

  // A coordinator-role agent logged in the way the stage expects.
  std::unique_ptr<net::ProtocolClient> coordinator() {
    auto c = client::open_session(stage(), endpoint_,
                                  client::Identity{"alice", Role::kCoordinator, client::lab_password("alice")});
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? std::move(*c) : nullptr;
  }

  // Sends one raw line on a fresh connection; the parsed response.
  Json send_raw(const std::string& line) {
    net::LineClient raw;
    EXPECT_TRUE(raw.connect(endpoint_).ok());
    EXPECT_TRUE(raw.send_line(line).ok());
    auto reply = raw.read_line(kTimeout);
    EXPECT_TRUE(reply.ok()) << "no answer: the server died or hung";
    return reply.ok() ? Json::parse(*reply, nullptr, false) : Json();
  }

  void expect_still_serving() {
    auto c = coordinator();
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->call("list_projects").ok());
  }

  std::filesystem::path state_file() const {
    return state_dir_ / (stage() == 1 ? "stage1_state.json" : "stage2_state.json");
  }

  std::filesystem::path state_dir_;
  std::unique_ptr<coordinator::CoordinatorServer> server_;
  net::ClientOptions endpoint_;
};

TEST_P(HostileInput, ArraysNested200000DeepInAuthArePreAuthRefusedAndTheServerLives) {
  const Json reply = send_raw(R"({"request_id":"deep-auth","type":"list_projects","session_id":"x","auth":)" +
                              nested_arrays(200'000) + "}");
  EXPECT_EQ(reply.value("code", ""), "NESTING_TOO_DEEP") << reply.dump();
  EXPECT_EQ(reply.value("request_id", Json()), "deep-auth");
  expect_still_serving();
}

TEST_P(HostileInput, ArraysNested200000DeepInThePayloadAreRefusedAndTheServerLives) {
  const Json reply = send_raw(R"({"request_id":7,"type":"create_project","payload":{"name":"n","metadata":{"x":)" +
                              nested_arrays(200'000) + "}}}");
  EXPECT_EQ(reply.value("code", ""), "NESTING_TOO_DEEP") << reply.dump();
  EXPECT_EQ(reply.value("request_id", Json()), 7);
  expect_still_serving();
}

TEST_P(HostileInput, NestingUpToTheBoundIsStoredAndServedBack) {
  auto c = coordinator();
  ASSERT_TRUE(c);
  // request object (1) > payload (2) > metadata (3) > 61 arrays = 64 levels: the most a line may nest.
  const Json deepest = Json::parse(nested_arrays(61));
  auto created = c->call("create_project", Json{{"name", "deep"}, {"metadata", {{"x", deepest}}}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto read = c->call("get_project", Json{{"project_id", created->value("id", "")}});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->at("project").at("metadata").at("x"), deepest);
  // One level more is refused.
  auto refused = c->call("create_project", Json{{"name", "deeper"}, {"metadata", {{"x", Json::array({deepest})}}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNestingTooDeep);
}

TEST_P(HostileInput, DeeplyNestedMetadataCostsTheStateFileLinearNotQuadraticSpace) {
  auto c = coordinator();
  ASSERT_TRUE(c);
  // 16 KiB of metadata nested as deep as a line allows.
  Json value = std::string(16 * 1024 - 200, 'm');
  for (int i = 0; i < 60; ++i) value = Json::array({value});
  auto created = c->call("create_project", Json{{"name", "heavy"}, {"metadata", {{"x", value}}}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::string saved;
  for (int i = 0; i < 250 && saved.find("heavy") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    saved = read_file(state_file()).value_or("");
  }
  const std::size_t size = saved.size();
  std::cout << "state file after 16 KiB of metadata nested 60 deep: " << size << " bytes\n";
  EXPECT_GT(size, 16u * 1024 - 200);
  EXPECT_LT(size, 24u * 1024) << "the file is written compactly";
  EXPECT_FALSE(std::filesystem::exists(state_file().string() + ".tmp")) << "the temporary file was renamed";
}

TEST_P(HostileInput, RepeatedSpecialtiesAreStoredOnce) {
  auto c = coordinator();
  ASSERT_TRUE(c);
  Json specialties = Json::array();
  for (int i = 0; i < 50'000; ++i) specialties.push_back("testing");
  auto registered = c->call("register_worker", Json{{"specialties", specialties}});
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  EXPECT_EQ(registered->at("specialties"), Json::array({"testing"}));
}

INSTANTIATE_TEST_SUITE_P(Stages, HostileInput, ::testing::Values(1, 2),
                         [](const auto& info) { return "Stage" + std::to_string(info.param); });

using Stage1HostileInput = HostileInput;

TEST_P(Stage1HostileInput, ArraysNested60000DeepInCreateProjectAreRefused) {
  const Json reply = send_raw(R"({"request_id":"p","type":"create_project","payload":{"name":)" +
                              nested_arrays(60'000) + "}}");
  EXPECT_EQ(reply.value("code", ""), "NESTING_TOO_DEEP") << reply.dump();
  expect_still_serving();
}

INSTANTIATE_TEST_SUITE_P(Stage1Only, Stage1HostileInput, ::testing::Values(1));

using Stage2Bounds = HostileInput;

TEST_P(Stage2Bounds, ATaskResultLargerThan64KiBIsRefused) {
  auto c = coordinator();
  ASSERT_TRUE(c);
  auto project = c->call("create_project", Json{{"name", "results"}});
  ASSERT_TRUE(project.ok());
  auto task = c->call("create_task", Json{{"project_id", project->value("id", "")},
                                          {"specialty", "testing"},
                                          {"description", "d"}});
  ASSERT_TRUE(task.ok());
  auto big = c->call("update_task_status",
                     Json{{"task_id", task->value("id", "")},
                          {"status", "working"},
                          {"result", {{"text", std::string(stage2::kMaxResultBytes, 'r')}}}});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kInvalidField);
  EXPECT_NE(big.error().message.find("result"), std::string::npos) << big.error().message;
}

TEST_P(Stage2Bounds, AProjectHoldsAtMostItsTaskLimit) {
  auto c = coordinator();
  ASSERT_TRUE(c);
  auto project = c->call("create_project", Json{{"name", "many"}});
  ASSERT_TRUE(project.ok());
  const Json task{{"project_id", project->value("id", "")}, {"specialty", "testing"}, {"description", "t"}};
  for (std::size_t i = 0; i < stage2::kMaxTasksPerProject; ++i) ASSERT_TRUE(c->call("create_task", task).ok()) << i;
  auto over = c->call("create_task", task);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded) << over.error().message;
}

INSTANTIATE_TEST_SUITE_P(Stage2Only, Stage2Bounds, ::testing::Values(2));

}  // namespace
}  // namespace lab::test
