// Stage 2's sessions over real sockets: a guessed id learns nothing, the log
// cannot be forged or made to accuse a user, a self-promotion really
// promotes (V-021), and expired sessions are gone, keys and all.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>

#include "client/session.h"
#include "core/file_io.h"
#include "core/safe_log_sink.h"
#include "stage2_improved/improved_sessions.h"
#include "stage2_improved/stage2.h"
#include "store/memory_store_set.h"

namespace lab::stage2 {
namespace {

constexpr std::chrono::milliseconds kTimeout{5000};

// Everything the default logger writes during one test, through the same escaping the lab binary installs.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)) {
    sink_->set_pattern("%l %v");
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    escape_default_logger();
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return text_.str();
  }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

class Stage2Sessions : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = make_server(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4});
    ASSERT_TRUE(server_->start().ok());
    endpoint_ = net::ClientOptions{.host = "127.0.0.1", .port = server_->port(), .timeout = kTimeout};
  }
  void TearDown() override { server_->stop(); }

  std::unique_ptr<net::ProtocolClient> as(const std::string& user, const std::string& from = "127.0.0.1") {
    auto ep = endpoint_;
    ep.bind_address = from;
    auto c = client::open_session(2, ep, client::Identity{user, Role::kWorker, client::lab_password(user)});
    EXPECT_TRUE(c.ok()) << user << ": " << (c.ok() ? "" : c.error().message);
    return c.ok() ? std::move(*c) : nullptr;
  }

  // The raw response to `request` sent as is from another host.
  Json raw_from_other_host(const Json& request) {
    auto ep = endpoint_;
    ep.bind_address = "127.0.0.2";
    auto c = client::open_connection(ep);
    EXPECT_TRUE(c.ok());
    if (!c.ok()) return Json();
    auto r = (*c)->request(request);
    return r.ok() ? Json{{"code", r->value("code", "")}, {"message", r->value("message", "")}} : Json();
  }

  std::unique_ptr<coordinator::CoordinatorServer> server_;
  net::ClientOptions endpoint_;
};

TEST_F(Stage2Sessions, ALiveIdAndAnUnknownIdGetTheSameAnswerWithoutAValidSignature) {
  auto alice = as("alice");
  ASSERT_TRUE(alice);
  const std::string live = *alice->session_id;
  const std::string unknown = "0b7e4f2a-9c1d-4e8f-a6b3-5d2c7e9f1a04";
  for (const Json& auth : {Json(), Json{{"agent_id", "alice"}, {"timestamp", 1}, {"signature", "00ff"}}}) {
    Json with_live{{"type", "list_projects"}, {"request_id", 1}, {"session_id", live}};
    Json with_unknown{{"type", "list_projects"}, {"request_id", 1}, {"session_id", unknown}};
    if (!auth.is_null()) with_live["auth"] = with_unknown["auth"] = auth;
    const Json a = raw_from_other_host(with_live);
    const Json b = raw_from_other_host(with_unknown);
    EXPECT_FALSE(a.value("code", "").empty());
    EXPECT_EQ(a, b) << "auth " << auth.dump() << ": the answer tells a live id from an unknown one";
  }
}

TEST_F(Stage2Sessions, AnUnsignedRequestWithAStolenIdCannotMakeTheLogAccuseItsOwner) {
  auto alice = as("alice");
  ASSERT_TRUE(alice);
  CapturedLog log;
  raw_from_other_host(Json{{"type", "list_projects"}, {"request_id", 1}, {"session_id", *alice->session_id}});
  EXPECT_EQ(log.text().find("used from"), std::string::npos) << log.text();
  // A request signed with the session's key from elsewhere is still served, and that is what gets logged (V-004).
  auto other = std::make_unique<net::ProtocolClient>();
  auto ep = endpoint_;
  ep.bind_address = "127.0.0.2";
  ASSERT_TRUE(other->connect(ep).ok());
  other->session_id = alice->session_id;
  other->hook = alice->hook;
  EXPECT_TRUE(other->call("list_projects").ok());
  EXPECT_NE(log.text().find("session of alice used from 127.0.0.2"), std::string::npos) << log.text();
}

TEST_F(Stage2Sessions, ANewlineInALoginCannotForgeALogLine) {
  CapturedLog log;
  auto c = client::open_connection(endpoint_);
  ASSERT_TRUE(c.ok());
  const std::string forged = "x\n12:00:00.000 info login: admin (admin) from 10.0.0.1";
  auto r = (*c)->call("login", Json{{"agent_id", forged}, {"password", "guess"}});
  ASSERT_FALSE(r.ok());
  const std::string text = log.text();
  std::istringstream lines(text);
  std::string line;
  int records = 0;
  while (std::getline(lines, line)) {
    ++records;
    EXPECT_NE(line.rfind("12:00:00.000", 0), 0u) << "a forged record: " << line;
  }
  EXPECT_EQ(records, 1) << text;
  EXPECT_NE(text.find("x\\n12:00:00.000 info login: admin"), std::string::npos) << text;
}

TEST_F(Stage2Sessions, AWorkerThatPromotesItselfIsAdminFromItsNextLogin) {
  auto bob = as("bob");
  ASSERT_TRUE(bob);
  auto before = bob->call("create_project", Json{{"name", "not yet"}});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(bob->call("change_role", Json{{"agent_id", "bob"}, {"role", "admin"}}).ok());
  auto again = as("bob");
  ASSERT_TRUE(again);
  auto info = again->call("get_session_info");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->value("role", ""), "admin");
  auto created = again->call("create_project", Json{{"name", "escalated"}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->value("owner", ""), "bob");
}

// Over a socket, with the stage's clock in the test's hand: an idle session is
// refused after its timeout without the test sleeping through it.
TEST(Stage2ServerClock, AnIdleSessionIsRefusedOnceTheStagesClockPassesItsTimeout) {
  ManualClock clock;
  auto server = make_server(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4, .clock = &clock});
  ASSERT_TRUE(server->start().ok());
  const net::ClientOptions endpoint{.host = "127.0.0.1", .port = server->port(), .timeout = kTimeout};
  auto alice = client::open_session(2, endpoint, client::Identity{"alice", Role::kCoordinator, client::lab_password("alice")});
  ASSERT_TRUE(alice.ok());
  clock.advance(std::chrono::minutes(29));
  EXPECT_TRUE((*alice)->call("list_projects").ok()) << "29 minutes idle: still inside the 30-minute timeout";
  clock.advance(std::chrono::minutes(31));
  auto refused = (*alice)->call("list_projects");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().code == ErrorCode::kSessionExpired || refused.error().code == ErrorCode::kSignatureInvalid)
      << refused.error().message;
  server->stop();
}

// Expiry with a clock the test moves: an idle-expired session disappears
// from the table and from the state file, key included, at the next activity
// of anyone, even if nobody presents it again.
TEST(ImprovedSessionsExpiry, IdleSessionsAreDroppedWithTheirKeysWithoutBeingPresented) {
  ManualClock clock;
  const auto path = std::filesystem::path(::testing::TempDir()) / ("stage2-expiry-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  store::MemoryStoreSet stores(clock, store::StateFileOptions{.path = path});
  auto credentials = CredentialStore::from_json(R"({"users":[{"agent_id":"u","password":"p","role":"worker"}]})", 4);
  ASSERT_TRUE(credentials.ok());
  ImprovedSessions sessions(std::move(*credentials), stores.sessions(), stores.agents(),
                            SessionOptions{.idle_timeout = std::chrono::minutes(30)}, clock);
  const coordinator::RequestOrigin origin{coordinator::Peer{"127.0.0.1", 1, 1, {}}, {}, nullptr};
  Request login{.type = "login", .payload = Json{{"agent_id", "u"}, {"password", "p"}}};
  auto first = sessions.login(login, origin);
  ASSERT_TRUE(first.ok());
  const auto saved = [&] { return Json::parse(read_file(path).value_or("{}")).value("sessions", Json::array()); };
  ASSERT_EQ(saved().size(), 1u);
  EXPECT_EQ(saved()[0]["signing_key"], first->value("signing_key", "")) << "stage 2 stores keys in plaintext (V-008)";
  clock.advance(std::chrono::minutes(31));
  auto second = sessions.login(login, origin);  // any later activity sweeps
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(stores.sessions().size(), 1u) << "the expired session is gone from memory";
  const Json left = saved();
  ASSERT_EQ(left.size(), 1u) << "an expired key is not kept on disk";
  EXPECT_EQ(left[0]["session_id"], second->value("session_id", ""));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace lab::stage2
