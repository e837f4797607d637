// Shared pieces of the integration tests: a stage 1 coordinator started
// in-process on an ephemeral loopback port (optionally with a temporary state
// directory), and connected protocol clients for it.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"
#include "net/line_client.h"
#include "net/protocol_client.h"
#include "stage1_insecure/stage1.h"

namespace lab::test {

// Every blocking client call in the tests gives up after this long.
inline constexpr std::chrono::milliseconds kClientTimeout{5000};

struct TestServerOptions {
  int threads = 2;
  bool with_state_dir = false;  // persist to a fresh temporary directory
};

// A stage 1 server for one test; stopped and cleaned up by the destructor.
class Stage1TestServer {
 public:
  explicit Stage1TestServer(TestServerOptions options = {}) {
    coordinator::StageConfig config{.port = 0, .threads = options.threads};
    if (options.with_state_dir) {
      std::string pattern = (std::filesystem::temp_directory_path() / "lab_test_XXXXXX").string();
      if (::mkdtemp(pattern.data()) != nullptr) state_dir_ = pattern;
      config.state_dir = state_dir_;
    }
    server_ = stage1::make_server(config);
    started_ = server_->start();
  }

  ~Stage1TestServer() {
    server_->stop();
    server_.reset();
    if (!state_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(state_dir_, ignored);
    }
  }

  Stage1TestServer(const Stage1TestServer&) = delete;
  Stage1TestServer& operator=(const Stage1TestServer&) = delete;

  const Status& start_status() const { return started_; }
  std::uint16_t port() const { return server_->port(); }
  coordinator::CoordinatorServer& server() { return *server_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }

  net::ClientOptions client_options(std::optional<std::string> bind_address = std::nullopt) const {
    return net::ClientOptions{
        .host = "127.0.0.1", .port = port(), .bind_address = std::move(bind_address), .timeout = kClientTimeout};
  }

 private:
  std::filesystem::path state_dir_;
  std::unique_ptr<coordinator::CoordinatorServer> server_;
  Status started_ = ok_status();
};

// "OK" for a success, else the stable error code ("MISSING_FIELD", ...):
// EXPECT_EQ(code_of(r), "MISSING_FIELD") prints both sides on failure.
template <class T>
std::string code_of(const Result<T>& r) {
  return r.ok() ? std::string("OK") : std::string(to_string(r.error().code)) + " (" + r.error().message + ")";
}
template <class T>
std::string error_code_of(const Result<T>& r) {
  return r.ok() ? std::string("OK") : std::string(to_string(r.error().code));
}

// The next pushed event of `kind`, skipping others, waiting at most `timeout` in all.
inline Result<Json> next_event_of_kind(net::ProtocolClient& client, std::string_view kind,
                                       std::chrono::milliseconds timeout = kClientTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Error{ErrorCode::kInternalError, "no " + std::string(kind) + " event in time"};
    auto event = client.next_event(left);
    if (!event) return event;
    if (event->value("kind", std::string{}) == kind) return event;
  }
}

// Fixture: one stage 1 server per test, and clients connected to it.
class Stage1Test : public ::testing::Test {
 protected:
  explicit Stage1Test(TestServerOptions options = {}) : server_(options) {}

  void SetUp() override {
    ASSERT_TRUE(server_.start_status().ok()) << server_.start_status().error().message;
    ASSERT_NE(server_.port(), 0);
  }

  // A connected client without a session.
  net::ProtocolClient connect(std::optional<std::string> bind_address = std::nullopt) {
    net::ProtocolClient client;
    const Status s = client.connect(server_.client_options(std::move(bind_address)));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return client;
  }

  // A connected client logged in as `agent_id` with `role`; its calls carry the session.
  net::ProtocolClient login(const std::string& agent_id, std::string_view role = "worker",
                            std::optional<std::string> bind_address = std::nullopt) {
    net::ProtocolClient client = connect(std::move(bind_address));
    auto session = client.call("login", Json{{"agent_id", agent_id}, {"role", role}});
    EXPECT_TRUE(session.ok()) << code_of(session);
    if (session.ok()) client.session_id = session->value("session_id", std::string{});
    return client;
  }

  // A raw line connection for bytes the protocol client would never send.
  net::LineClient connect_raw() {
    net::LineClient line;
    const Status s = line.connect(server_.client_options());
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return line;
  }

  Stage1TestServer server_;
};

}  // namespace lab::test
