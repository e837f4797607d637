// A stage 2 coordinator for one test: started in-process on an ephemeral
// loopback port with a fast bcrypt cost, and sessions opened as the lab's
// users with their passwords from valid_credentials.json.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "client/session.h"
#include "stage2_improved/stage2.h"
#include "test_server.h"

namespace lab::test {

class Stage2TestServer {
 public:
  explicit Stage2TestServer(coordinator::StageConfig config = {}) {
    config.port = 0;
    if (config.bcrypt_cost == 0) config.bcrypt_cost = 4;
    server_ = stage2::make_server(config);
    started_ = server_->start();
    endpoint_ = net::ClientOptions{.host = "127.0.0.1", .port = server_->port(), .timeout = kClientTimeout};
  }
  ~Stage2TestServer() { server_->stop(); }
  Stage2TestServer(const Stage2TestServer&) = delete;
  Stage2TestServer& operator=(const Stage2TestServer&) = delete;

  const Status& start_status() const { return started_; }
  std::uint16_t port() const { return server_->port(); }
  const net::ClientOptions& endpoint() const { return endpoint_; }

  // `user` logged in with the lab password; null after a failed test expectation.
  std::unique_ptr<net::ProtocolClient> as(const std::string& user) const {
    auto c = client::open_session(2, endpoint_, client::Identity{user, Role::kWorker, client::lab_password(user)});
    EXPECT_TRUE(c.ok()) << user << ": " << (c.ok() ? "" : c.error().message);
    return c.ok() ? std::move(*c) : nullptr;
  }

 private:
  std::unique_ptr<coordinator::CoordinatorServer> server_;
  net::ClientOptions endpoint_;
  Status started_ = ok_status();
};

}  // namespace lab::test
