// A stage 5 coordinator for one test: a fresh lab CA in a temporary directory (the server's certificate), the
// stage started in-process on an ephemeral loopback port with fast Argon2 parameters and a manual clock, and
// browsers (BrowserClient) that trust the lab CA.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "client/client_profile.h"
#include "core/clock.h"
#include "lab_ca_test_directory.h"
#include "stage5_web/stage5.h"
#include "web/browser_client.h"

namespace lab::test {

class Stage5TestServer {
 public:
  explicit Stage5TestServer(coordinator::StageConfig config = {}) {
    files_.configure(config, clock);
    server_ = stage5::make_server(config);
    started_ = server_->start();
  }
  ~Stage5TestServer() {
    if (server_) server_->stop();
  }
  Stage5TestServer(const Stage5TestServer&) = delete;
  Stage5TestServer& operator=(const Stage5TestServer&) = delete;

  const Status& start_status() const { return started_; }
  std::uint16_t port() const { return server_->port(); }
  coordinator::CoordinatorServer& server() { return *server_; }
  std::string origin() const { return "https://127.0.0.1:" + std::to_string(port()); }

  web::HttpsClientOptions endpoint(std::string local_address = {}) const {
    return web::HttpsClientOptions{.host = "127.0.0.1", .port = port(), .ca_file = (files_.ca_dir() / "ca.crt").string(),
                                   .server_name = "localhost", .local_address = std::move(local_address)};
  }
  web::BrowserClient browser(std::string local_address = {}) const { return web::BrowserClient(endpoint(local_address)); }
  // A browser signed in as `user` (password from the lab's sample users).
  web::BrowserClient signed_in(const std::string& user, const std::string& password) const {
    auto b = browser();
    auto r = b.sign_in(user, password);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : r.error().message);
    return b;
  }

  ManualClock clock;

 private:
  LabCaTestDirectory files_{"lab_stage5_"};  // before the server: it goes after it
  std::unique_ptr<coordinator::CoordinatorServer> server_;
  Status started_ = Error{ErrorCode::kInternalError, "not started"};
};

// The body of an answer as JSON (a transport error as {"transport_error"}), its error code, and what a browser
// does with projects.
inline Json body_of(const Result<web::HttpResponse>& r) {
  if (!r) return Json{{"transport_error", r.error().message}};
  return Json::parse(r->body, nullptr, false);
}
inline std::string code_of(const Result<web::HttpResponse>& r) {
  const Json j = body_of(r);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}
inline std::size_t project_count(web::BrowserClient& b) {
  const Json list = body_of(b.request("GET", "/api/projects"));
  return list.value("projects", Json::array()).size();
}
inline std::string create_project(web::BrowserClient& b, const std::string& name) {
  auto r = b.request("POST", "/api/projects", Json{{"name", name}, {"description", "d"}}.dump());
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : r.error().message);
  return body_of(r).value("id", "");
}

inline constexpr const char* kAlicePassword = "alice-wonderland-2026";
inline constexpr const char* kBobPassword = "password1";
inline constexpr const char* kAdminPassword = "Adm1n-lab-S3cret!";

}  // namespace lab::test
