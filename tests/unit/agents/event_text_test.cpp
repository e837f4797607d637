// The auditor's line for each event: what happened, to what, by whom, from where.
#include <gtest/gtest.h>

#include "agents/event_text.h"

namespace lab::agents {
namespace {

Json event(const std::string& kind, Json data) {
  return Json{{"kind", kind},          {"agent_id", "worker-1"}, {"role", "worker"},
              {"peer_address", "127.0.0.1"}, {"data", std::move(data)}};
}

TEST(EventText, TellsTheTaskLifecycleSessionsAndRefusals) {
  EXPECT_EQ(event_text(event("task_claimed", {{"task_id", "task_3"}})), "worker-1 (worker) claimed task_3");
  EXPECT_EQ(event_text(event("task_status_changed", {{"task_id", "task_3"}, {"status", "completed"}})),
            "worker-1 (worker) set task_3 to completed");
  EXPECT_EQ(event_text(event("session_created", Json::object())), "worker-1 (worker) logged in from 127.0.0.1");
  EXPECT_EQ(event_text(event("request_rejected",
                             {{"type", "login"}, {"code", "AUTH_FAILED"}, {"claimed_agent_id", "alice"}})),
            "refused login from 127.0.0.1: AUTH_FAILED (claimed to be alice)");
  EXPECT_EQ(event_text(event("something_new", Json::object())), "something_new by worker-1 (worker) from 127.0.0.1");
  EXPECT_EQ(event_text(Json::array()), "an event that is not an object");
  EXPECT_EQ(event_text(Json{{"kind", "task_claimed"}, {"data", 5}}), "? (?) claimed ?") << "any shape, never a throw";
}

}  // namespace
}  // namespace lab::agents
