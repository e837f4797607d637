// StageControl over an in-process fixture server: stop and restart rebuild
// the server on the same state directory. An in-process "crash" can only
// destroy the server; with the fixture's write-through store nothing is
// pending at that point, which is what the crash attack's oracle checks.
#pragma once

#include <functional>
#include <memory>

#include "attacks/attack.h"
#include "coordinator/coordinator_server.h"

namespace lab::testing {

class InProcessStage final : public attacks::StageControl {
 public:
  using Factory = std::function<std::unique_ptr<coordinator::CoordinatorServer>()>;
  InProcessStage(Factory factory, std::filesystem::path state_dir)
      : factory_(std::move(factory)), state_dir_(std::move(state_dir)) {}

  Status start() {
    server_ = factory_();
    return server_->start();
  }
  net::ClientOptions endpoint() const override {
    net::ClientOptions o;
    o.port = server_ ? server_->port() : 0;
    return o;
  }
  std::filesystem::path state_dir() const override { return state_dir_; }
  void crash() override { server_.reset(); }
  Status stop() override {
    if (server_) server_->stop();
    server_.reset();
    return ok_status();
  }
  Status restart() override {
    server_.reset();
    return start();
  }

 private:
  Factory factory_;
  std::filesystem::path state_dir_;
  std::unique_ptr<coordinator::CoordinatorServer> server_;
};

}  // namespace lab::testing
