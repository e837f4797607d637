// The auditor's rules over the coordinator's event stream: what a learner
// sees the audit agent raise for a stolen session, a migration, a brute force.
#include <gtest/gtest.h>

#include <algorithm>

#include "agents/audit_rules.h"

namespace lab::agents {
namespace {

Json event(std::uint64_t seq, const std::string& kind, const std::string& address, Json data,
           const std::string& session = "fp:0123456789ab") {
  return Json{{"seq", seq},          {"kind", kind},    {"agent_id", "alice"}, {"role", "coordinator"},
              {"session", session},  {"peer_address", address}, {"request_id", static_cast<int>(seq)},
              {"data", std::move(data)}};
}

bool raised(const std::vector<Alert>& alerts, const std::string& rule) {
  return std::any_of(alerts.begin(), alerts.end(), [&](const Alert& a) { return a.rule == rule; });
}

TEST(AuditRules, ASessionUsedFromANewAddressIsACriticalAlert) {
  AuditRules rules;
  EXPECT_FALSE(raised(rules.observe(event(1, "project_created", "127.0.0.1", Json::object()), 0),
                      "session-used-from-new-address"));
  const auto alerts = rules.observe(event(2, "task_created", "127.0.0.2", Json::object()), 1);
  ASSERT_TRUE(raised(alerts, "session-used-from-new-address"));
  EXPECT_EQ(alerts.front().severity, "critical");
}

TEST(AuditRules, ABindingRefusalOfTheSecureStageIsACriticalAlertNamingWhatDiffered) {
  AuditRules rules;
  const auto alerts =
      rules.observe(event(1, "request_rejected", "127.0.0.2", Json{{"type", "list_tasks"}, {"code", "CERTIFICATE_MISMATCH"}}), 0);
  ASSERT_TRUE(raised(alerts, "session-binding-mismatch"));
  EXPECT_NE(alerts.front().message.find("client certificate"), std::string::npos) << alerts.front().message;
  EXPECT_FALSE(raised(rules.observe(event(2, "request_rejected", "127.0.0.2", Json{{"code", "RATE_LIMITED"}}), 1),
                      "session-binding-mismatch"))
      << "other refusals are not binding alerts";
}

TEST(AuditRules, AMigrationIsANoticeNotAHijackAlarm) {
  AuditRules rules;
  (void)rules.observe(event(1, "project_created", "127.0.0.1", Json::object(), "fp:old"), 0);
  const auto moved =
      rules.observe(event(2, "session_migrated", "127.0.0.4", Json{{"from", "127.0.0.1"}, {"to", "127.0.0.4"}}, "fp:old"), 1);
  EXPECT_TRUE(raised(moved, "session-migrated"));
  // The session continues under its new id from the new address: nothing suspicious.
  EXPECT_FALSE(raised(rules.observe(event(3, "task_created", "127.0.0.4", Json::object(), "fp:new"), 2),
                      "session-used-from-new-address"));
}

TEST(AuditRules, FiveFailedLoginsFromOneAddressAreABruteForce) {
  AuditRules rules;
  std::vector<Alert> last;
  for (int i = 1; i <= 5; ++i) {
    last = rules.observe(event(i, "request_rejected", "127.0.0.9", Json{{"type", "login"}, {"code", "AUTH_FAILED"}}, ""),
                         i * 100);
  }
  EXPECT_TRUE(raised(last, "brute-force-suspected"));
}

}  // namespace
}  // namespace lab::agents
