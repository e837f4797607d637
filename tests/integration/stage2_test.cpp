// Stage 2 over real sockets: what it now refuses, what it still lets through,
// and that an oversized message costs the server nothing of its size.
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "client/session.h"
#include "core/clock.h"
#include "embedded/embedded_files.h"
#include "security/request_signature.h"
#include "integration/stage2_test_server.h"
#include "stage2_improved/stage2.h"

namespace lab::stage2 {
namespace {

// Resident set size of this process, in bytes.
std::size_t rss_bytes() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      std::size_t kb = 0;
      in >> kb;
      return kb * 1024;
    }
    in.ignore(4096, '\n');
  }
  return 0;
}

// Collects what the server logs at info level and above while it lives.
class LogCapture {
 public:
  LogCapture() : logger_(spdlog::default_logger()), level_(logger_->level()) {
    logger_->sinks().push_back(ring_);
    logger_->set_level(spdlog::level::info);
  }
  ~LogCapture() {
    logger_->sinks().pop_back();
    logger_->set_level(level_);
  }
  std::vector<std::string> lines() const { return ring_->last_formatted(); }
  bool has(const std::string& a, const std::string& b) const {
    for (const auto& line : lines()) {
      if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> ring_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  std::shared_ptr<spdlog::logger> logger_;
  spdlog::level::level_enum level_;
};

class Stage2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stage_.start_status().ok());
    endpoint_ = stage_.endpoint();
  }
  std::unique_ptr<net::ProtocolClient> as(const std::string& user) { return stage_.as(user); }

  test::Stage2TestServer stage_{coordinator::StageConfig{.threads = 2}};
  net::ClientOptions endpoint_;
};

TEST_F(Stage2Test, LoginNeedsTheRightPasswordAndTheRoleComesFromTheCredentials) {
  auto conn = client::open_connection(endpoint_);
  ASSERT_TRUE(conn.ok());
  auto wrong = (*conn)->call("login", Json{{"agent_id", "alice"}, {"password", "guess"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kAuthFailed);
  auto bob = (*conn)->call("login", Json{{"agent_id", "bob"}, {"password", "password1"}, {"role", "admin"}});
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->value("role", ""), "worker");
  EXPECT_EQ(bob->value("session_id", "").size(), 36u);  // a UUID, not sess_N
}

TEST_F(Stage2Test, UnsignedAndTamperedRequestsAreRefusedButAnExactReplayRunsAgain) {
  auto alice = as("alice");
  ASSERT_TRUE(alice);
  Json unsigned_request{{"type", "list_projects"}, {"request_id", 1}, {"session_id", *alice->session_id}};
  alice->hook = nullptr;
  auto refused = alice->request(unsigned_request);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ((*refused)["code"], "AUTH_REQUIRED");

  auto signer = as("alice");
  Json create{{"type", "create_project"}, {"request_id", "r1"}, {"session_id", *signer->session_id},
              {"payload", {{"name", "signed"}}}};
  signer->hook(create);
  signer->hook = nullptr;  // from here on, lines go out exactly as prepared
  Json tampered = create;
  tampered["payload"]["name"] = "changed";
  EXPECT_EQ((*signer->request(tampered))["code"], "SIGNATURE_INVALID");
  EXPECT_EQ((*signer->request(create))["status"], "ok");
  EXPECT_EQ((*signer->request(create))["status"], "ok") << "no nonce: the same signed line runs twice (V-022)";
  auto listed = as("alice")->call("list_projects");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)["projects"].size(), 2u);
}

// The seed's "basic logging": signature, timestamp and permission refusals and idle expiry show in the log, with
// who and from where, and no signature, key or session id in the line.
TEST_F(Stage2Test, RefusalsAreLoggedWithoutSecrets) {
  LogCapture log;
  auto bob = as("bob");  // a worker
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->call("create_project", Json{{"name", "not mine to make"}}).error().code, ErrorCode::kPermissionDenied);
  // A request signed properly, but an hour ago; then the same request with its signature damaged.
  auto raw = client::open_connection(endpoint_);
  ASSERT_TRUE(raw.ok());
  auto login = client::login(**raw, 2, client::Identity{"bob", Role::kWorker, client::lab_password("bob")});
  ASSERT_TRUE(login.ok());
  const auto key = security::Key256::from_hex(login->value("signing_key", ""));
  ASSERT_TRUE(key.ok());
  (*raw)->hook = nullptr;
  Json stale{{"type", "list_projects"}, {"request_id", 7}, {"session_id", login->value("session_id", "")}};
  security::sign_request(stale, *key, "bob", unix_seconds(system_clock().now()) - 3600);
  EXPECT_EQ((*(*raw)->request(stale))["code"], "TIMESTAMP_OUT_OF_WINDOW");
  Json damaged{{"type", "list_projects"}, {"request_id", 8}, {"session_id", login->value("session_id", "")}};
  security::sign_request(damaged, *key, "bob", unix_seconds(system_clock().now()));
  std::string signature = damaged["auth"]["signature"];
  signature[0] = signature[0] == '0' ? '1' : '0';
  damaged["auth"]["signature"] = signature;
  EXPECT_EQ((*(*raw)->request(damaged))["code"], "SIGNATURE_INVALID");

  EXPECT_TRUE(log.has("refused create_project", "PERMISSION_DENIED"));
  EXPECT_TRUE(log.has("refused list_projects", "TIMESTAMP_OUT_OF_WINDOW"));
  EXPECT_TRUE(log.has("refused list_projects", "SIGNATURE_INVALID"));
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find(login->value("session_id", "")), std::string::npos) << line;
    EXPECT_EQ(line.find(login->value("signing_key", "")), std::string::npos) << line;
    EXPECT_EQ(line.find(signature), std::string::npos) << line;
  }
}

TEST(Stage2IdleExpiry, IsAnsweredAndLogged) {
  LogCapture log;
  test::Stage2TestServer stage(coordinator::StageConfig{.idle_timeout = std::chrono::milliseconds(200)});
  ASSERT_TRUE(stage.start_status().ok());
  auto alice = stage.as("alice");
  ASSERT_TRUE(alice);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(alice->call("list_projects").error().code, ErrorCode::kSessionExpired);
  EXPECT_TRUE(log.has("idle expiry", "alice"));
}

TEST_F(Stage2Test, MaliciousProjectPassesTheLengthChecksWhileOutOfRangeValuesAreRefused) {
  auto alice = as("alice");
  ASSERT_TRUE(alice);
  Json doc = Json::parse(*embedded::file("sample_data/malicious_project.json"));
  Json task = doc["tasks"][0];
  doc.erase("tasks");
  auto project = alice->call("create_project", doc);
  ASSERT_TRUE(project.ok()) << "stage 2 stores it verbatim (V-031)";
  EXPECT_EQ(project->value("name", ""), doc["name"]);
  task["project_id"] = project->value("id", "");
  auto refused = alice->call("create_task", task);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidField);  // priority 2147483647
  auto too_long = alice->call("create_project", Json{{"name", std::string(201, 'x')}});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidField);
}

TEST_F(Stage2Test, WorkerCannotCreateProjectsButCanStillChangeItsOwnRole) {
  auto bob = as("bob");
  ASSERT_TRUE(bob);
  auto denied = bob->call("create_project", Json{{"name", "mine"}});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(bob->call("change_role", Json{{"agent_id", "bob"}, {"role", "admin"}}).ok()) << "V-021 stays open";
}

TEST_F(Stage2Test, OversizedMessageGetsMessageTooLargeAndDoesNotGrowTheServerBySize) {
  net::LineClient client;
  ASSERT_TRUE(client.connect(endpoint_).ok());
  const std::string chunk(1 << 20, 'A');  // no newline: one ever-growing line
  const std::size_t before = rss_bytes();
  bool refused_early = false;
  for (int i = 0; i < 32 && !refused_early; ++i) refused_early = !client.send_raw(chunk).ok();
  (void)client.send_raw("\n");
  auto reply = client.read_line();
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(Json::parse(*reply)["code"], "MESSAGE_TOO_LARGE");
  EXPECT_FALSE(client.read_line().ok()) << "the server closes the connection after the error";
  const std::size_t after = rss_bytes();
  EXPECT_LT(after, before + (8u << 20)) << "32 MiB sent, the server kept " << (after - before) << " bytes";
  // The server keeps serving others.
  EXPECT_TRUE(as("alice"));
}

}  // namespace
}  // namespace lab::stage2
