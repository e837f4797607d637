// A stage 3 coordinator for one test: a fresh lab CA in a temporary directory
// (server certificate and a certificate for each lab user the tests log in
// as), the stage started in-process on an ephemeral loopback port with fast
// Argon2 parameters and a manual clock, and sessions opened through the
// stage 3 client profile over mutual TLS.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "client/certificate_profile.h"
#include "client/session.h"
#include "core/clock.h"
#include "core/file_io.h"
#include "lab_ca_test_directory.h"
#include "stage3_secure/stage3.h"
#include "test_server.h"

namespace lab::test {

class Stage3TestServer {
 public:
  explicit Stage3TestServer(coordinator::StageConfig config = {}) {
    files_.configure(config, clock);
    config_ = config;
    server_ = stage3::make_server(config);
    started_ = server_->start();
  }
  ~Stage3TestServer() { close(); }
  Stage3TestServer(const Stage3TestServer&) = delete;
  Stage3TestServer& operator=(const Stage3TestServer&) = delete;

  const Status& start_status() const { return started_; }
  // Stops the stage and lets go of its state (the journal's lock, the audit log): a restart may open them.
  void close() {
    if (!server_) return;
    server_->stop();
    server_.reset();
  }
  std::uint16_t port() const { return server_->port(); }
  coordinator::CoordinatorServer& server() { return *server_; }
  std::filesystem::path ca_dir() const { return files_.ca_dir(); }
  std::filesystem::path dir() const { return files_.dir(); }
  const coordinator::StageConfig& config() const { return config_; }
  std::filesystem::path audit_log() const { return stage3::audit_log_path(config_); }

  // The endpoint a lab agent connects to: TLS, trusting the lab CA (the profile adds the agent's certificate).
  net::ClientOptions endpoint(std::optional<std::string> bind_address = std::nullopt) const {
    net::ClientOptions o{.host = "127.0.0.1", .port = port(), .bind_address = std::move(bind_address),
                         .timeout = kClientTimeout};
    o.tls = net::TlsClientFiles{(ca_dir() / "ca.crt").string(), stage3::kServerName};
    return o;
  }

  client::Identity identity(const std::string& user) const {
    auto who = client::certificate_profile().lab_identity(user, user, Role::kWorker);
    who.clock = &clock;  // signatures carry the server's (manual) time
    return who;
  }

  Result<std::unique_ptr<net::ProtocolClient>> login(const std::string& user,
                                                     std::optional<std::string> bind_address = std::nullopt) {
    return client::open_session(3, endpoint(std::move(bind_address)), identity(user));
  }

  // Far from real time only when a test moves it: certificates and nonces are checked against it.
  ManualClock clock;

 private:
  LabCaTestDirectory files_{"lab_stage3_"};  // before the server: it goes after it
  coordinator::StageConfig config_;
  std::unique_ptr<coordinator::CoordinatorServer> server_;
  Status started_ = ok_status();
};

// A test on a fresh stage 3 (server_), with sessions opened by lab users over mutual TLS.
class Stage3Fixture : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.start_status().ok()) << server_.start_status().error().message; }

  // `user` logged in (from `from`, another loopback address, when given); null after a failed test expectation.
  std::unique_ptr<net::ProtocolClient> session(const std::string& user,
                                               std::optional<std::string> from = std::nullopt) {
    auto s = server_.login(user, std::move(from));
    EXPECT_TRUE(s.ok()) << code_of(s);
    return s.ok() ? std::move(*s) : nullptr;
  }

  Stage3TestServer server_;
};

}  // namespace lab::test
