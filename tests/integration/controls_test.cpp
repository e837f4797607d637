// One control switched off brings back exactly the weakness it stops, over a
// real socket; unknown controls and the stage's only authentication are refused.
#include <gtest/gtest.h>

#include <string>

#include "client/session.h"
#include "stage_registry.h"

namespace lab::stages {
namespace {

Result<Json> create_project(const coordinator::StageConfig& config, const Json& payload) {
  auto server = compose_stage(2, config);
  if (!server) return server.error();
  if (auto s = (*server)->start(); !s) return s.error();
  const net::ClientOptions endpoint{.host = "127.0.0.1", .port = (*server)->port(),
                                    .timeout = std::chrono::milliseconds(5000)};
  auto alice = client::open_session(2, endpoint,
                                    client::Identity{"alice", Role::kCoordinator, client::lab_password("alice")});
  if (!alice) return alice.error();
  auto created = (*alice)->call("create_project", payload);
  (*server)->stop();
  return created;
}

TEST(DisableControl, TheLengthLimitsOffLetAnOverLongNameThrough) {
  const Json long_name{{"name", std::string(300, 'n')}};
  const auto enforced = create_project(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4}, long_name);
  ASSERT_FALSE(enforced.ok());
  EXPECT_EQ(enforced.error().code, ErrorCode::kInvalidField);
  const auto off = create_project(
      coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4, .disabled_controls = {"length-limits"}},
      long_name);
  EXPECT_TRUE(off.ok()) << off.error().message;
}

// A connection-phase control lives in the front: switching it off reaches the line server.
TEST(DisableControl, TheMessageSizeLimitOffLetsATwoMebibyteMessageThrough) {
  const Json big{{"name", "big"}, {"metadata", Json{{"blob", std::string(2 << 20, 'b')}}}};
  const auto enforced = create_project(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4}, big);
  ASSERT_FALSE(enforced.ok());
  EXPECT_EQ(enforced.error().code, ErrorCode::kMessageTooLarge);
  const auto front_off = create_project(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4,
                                                                 .disabled_controls = {"message-size-limit"}},
                                        big);
  ASSERT_FALSE(front_off.ok());
  EXPECT_EQ(front_off.error().code, ErrorCode::kInvalidField) << "the message got in; the payload's length limits "
                                                                 "are the next control to catch it";
  const auto both_off = create_project(coordinator::StageConfig{.port = 0, .threads = 2, .bcrypt_cost = 4,
                                                                .disabled_controls = {"message-size-limit",
                                                                                      "length-limits"}},
                                       big);
  EXPECT_TRUE(both_off.ok()) << both_off.error().message;
}

TEST(DisableControl, UnknownNamesAndTheOnlyAuthenticationAreRefused) {
  auto unknown = compose_stage(2, coordinator::StageConfig{.disabled_controls = {"no-such-control"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no control named 'no-such-control'"), std::string::npos);
  auto auth = compose_stage(2, coordinator::StageConfig{.disabled_controls = {"signed-session"}});
  ASSERT_FALSE(auth.ok());
  EXPECT_NE(auth.error().message.find("authentication"), std::string::npos);
}

TEST(DisableControl, TheChainShowsTheControlOff) {
  auto server = compose_stage(2, coordinator::StageConfig{.disabled_controls = {"address-binding"}});
  ASSERT_TRUE(server.ok());
  for (const auto& row : (*server)->coordinator().guards().rows()) {
    if (row.name == "address-binding") {
      EXPECT_EQ(row.mode, coordinator::GuardMode::kOff);
    }
  }
}

}  // namespace
}  // namespace lab::stages
