// The claims of docs/PROTOCOL.md that are easy to get wrong, checked over real
// loopback sockets: the order of the envelope checks (§2), the integer ranges
// of request_id and priority, one delivery per event however often a
// connection subscribes (§5.13), the line-length limit (§1: a trailing CR
// counts, an over-long line is answered before its newline) and what each
// stage answers to a malformed `auth` block (§4, §10.3, §10.5).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "client/session.h"
#include "integration/stage2_test_server.h"
#include "integration/stage3_test_server.h"
#include "stage2_improved/stage2.h"

namespace lab::test {
namespace {

// The server's answer to one raw line on `line`, parsed.
Json answer(net::LineClient& line, std::string_view text) {
  EXPECT_TRUE(line.send_line(text).ok());
  auto got = line.read_line();
  EXPECT_TRUE(got.ok()) << "no answer to " << text;
  return got.ok() ? Json::parse(*got) : Json();
}

std::string code(const Json& response) { return response.value("code", std::string("OK")); }

// --- §2: the order of the envelope checks ------------------------------------------------

class ProtocolClaimsStage1 : public Stage1Test {};

TEST_F(ProtocolClaimsStage1, EnvelopeFieldsAreCheckedBeforeTheOperationIsLookedUp) {
  auto line = connect_raw();
  // session_id and payload are judged before the operation's name.
  EXPECT_EQ(code(answer(line, R"({"request_id":"o1","type":"no_such_op","session_id":5})")), "INVALID_FIELD");
  EXPECT_EQ(code(answer(line, R"({"request_id":"o2","type":"no_such_op","payload":[1]})")), "INVALID_FIELD");
  // auth is no part of the envelope check: only the lookup refuses this line.
  EXPECT_EQ(code(answer(line, R"({"request_id":"o3","type":"no_such_op","auth":[1]})")), "UNKNOWN_TYPE");
  // type before session_id, request_id before type; a null type is a type of the wrong kind.
  EXPECT_EQ(code(answer(line, R"({"request_id":"o4","session_id":5})")), "MISSING_FIELD");
  const Json null_type = answer(line, R"({"request_id":"o5","type":null})");
  EXPECT_EQ(code(null_type), "INVALID_FIELD");
  EXPECT_EQ(null_type["request_id"], "o5");
  const Json bad_id = answer(line, R"({"request_id":1.5,"type":5,"session_id":5})");
  EXPECT_EQ(code(bad_id), "INVALID_FIELD");
  EXPECT_TRUE(bad_id["request_id"].is_null());
  // Stage 1 offers none of stage 3's operations, but they are in the table: the guards and the handler answer.
  EXPECT_EQ(code(answer(line, R"({"request_id":"o6","type":"list_sessions"})")), "UNKNOWN_TYPE");
  EXPECT_EQ(code(answer(line, R"({"request_id":"o7","type":"backup_state"})")), "INVALID_REQUEST");
}

TEST_F(ProtocolClaimsStage1, RequestIdIntegersRunFromInt64MinToUint64Max) {
  auto line = connect_raw();
  const Json top = answer(line, R"({"request_id":18446744073709551615,"type":"list_projects"})");
  EXPECT_EQ(code(top), "OK");
  EXPECT_EQ(top["request_id"], Json(std::uint64_t{18446744073709551615ULL}));
  const Json bottom = answer(line, R"({"request_id":-9223372036854775808,"type":"list_projects"})");
  EXPECT_EQ(code(bottom), "OK");
  EXPECT_EQ(bottom["request_id"], Json(std::numeric_limits<std::int64_t>::min()));
  for (const char* outside : {R"({"request_id":18446744073709551616,"type":"list_projects"})",
                              R"({"request_id":-9223372036854775809,"type":"list_projects"})"}) {
    const Json r = answer(line, outside);
    EXPECT_EQ(code(r), "INVALID_FIELD") << outside;
    EXPECT_TRUE(r["request_id"].is_null()) << outside;
  }
  EXPECT_EQ(code(answer(line, R"({"request_id":1e400,"type":"list_projects"})")), "MALFORMED_JSON");
}

TEST_F(ProtocolClaimsStage1, PriorityIsAnyInt64ClampedToPlusMinusOneMillion) {
  auto line = connect_raw();
  ASSERT_EQ(code(answer(line, R"({"type":"create_project","payload":{"name":"p"}})")), "OK");
  const auto task = [&](std::string_view priority) {
    return answer(line, R"({"type":"create_task","payload":{"project_id":"proj_1","specialty":"testing",)"
                        R"("description":"d","priority":)" + std::string(priority) + "}}");
  };
  EXPECT_EQ(task("2000000")["data"]["priority"], 1000000);
  EXPECT_EQ(task("-9223372036854775808")["data"]["priority"], -1000000);
  EXPECT_EQ(code(task("9223372036854775808")), "INVALID_FIELD");
  EXPECT_EQ(code(task("5.0")), "INVALID_FIELD");
}

// --- §5.13: subscribing twice ---------------------------------------------------------------

TEST_F(ProtocolClaimsStage1, ASecondSubscribeOnOneConnectionStillDeliversEachEventOnce) {
  auto subscriber = connect_raw();
  ASSERT_TRUE(subscriber.send_line(R"({"type":"subscribe_events","request_id":"s1"})").ok());
  ASSERT_TRUE(subscriber.send_line(R"({"type":"subscribe_events","request_id":"s2"})").ok());
  int ok_answers = 0, subscribed_events = 0;
  while (ok_answers < 2 || subscribed_events < 2) {
    auto got = subscriber.read_line(kClientTimeout);
    ASSERT_TRUE(got.ok()) << "both subscribes are answered, each with a subscribed event";
    const Json msg = Json::parse(*got);
    if (msg.value("status", "") == "ok") ++ok_answers;
    if (msg.value("type", "") == "event" && msg["event"]["kind"] == "subscribed") ++subscribed_events;
  }

  auto actor = connect();
  ASSERT_TRUE(actor.call("create_project", Json{{"name", "once"}}).ok());
  ASSERT_TRUE(actor.call("create_project", Json{{"name", "sentinel"}}).ok());
  int once = 0;
  for (;;) {  // every event up to the sentinel's, which comes after any copy of the first
    auto got = subscriber.read_line(kClientTimeout);
    ASSERT_TRUE(got.ok()) << "the sentinel's event arrives";
    const Json event = Json::parse(*got)["event"];
    if (event["kind"] != "project_created") continue;
    if (event["data"]["name"] == "sentinel") break;
    if (event["data"]["name"] == "once") ++once;
  }
  EXPECT_EQ(once, 1) << "one connection, one copy of each event";
}

// --- §1: the line-length limit (stage 2: 1 MiB) ---------------------------------------------

class ProtocolClaimsStage2 : public ::testing::Test {
 protected:
  static constexpr std::size_t kLimit = 1 << 20;

  void SetUp() override {
    ASSERT_TRUE(stage_.start_status().ok());
    endpoint_ = stage_.endpoint();
  }

  net::LineClient raw() {
    net::LineClient line;
    EXPECT_TRUE(line.connect(endpoint_).ok());
    return line;
  }

  // A request line of exactly `bytes` bytes, without its terminator.
  static std::string line_of(std::size_t bytes, std::string_view request_id) {
    const std::string head = R"({"type":"list_projects","request_id":")" + std::string(request_id) + R"(","pad":")";
    const std::string tail = R"("})";
    return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
  }

  std::unique_ptr<net::ProtocolClient> as(const std::string& user) { return stage_.as(user); }

  Stage2TestServer stage_;
  net::ClientOptions endpoint_;
};

TEST_F(ProtocolClaimsStage2, ATrailingCarriageReturnCountsTowardTheLimit) {
  auto lf = raw();
  ASSERT_TRUE(lf.send_raw(line_of(kLimit, "lf") + "\n").ok());
  auto fits = lf.read_line();
  ASSERT_TRUE(fits.ok());
  EXPECT_EQ(code(Json::parse(*fits)), "AUTH_REQUIRED") << "exactly the limit before the LF is read as a request";

  auto crlf = raw();
  ASSERT_TRUE(crlf.send_raw(line_of(kLimit, "crlf") + "\r\n").ok());
  auto refused = crlf.read_line();
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(code(Json::parse(*refused)), "MESSAGE_TOO_LARGE") << "the CR is the limit's byte 1,048,577";
}

TEST_F(ProtocolClaimsStage2, AnOverLongLineIsAnsweredBeforeItsNewlineAndTheRestIsDiscarded) {
  auto line = raw();
  // A complete line, then one byte more than the limit of the next, and no newline at all.
  ASSERT_TRUE(line.send_raw(line_of(100, "first") + "\n" + std::string(kLimit + 1, 'y')).ok());
  auto first = line.read_line();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Json::parse(*first)["request_id"], "first") << "lines before the over-long one are answered first";
  auto refused = line.read_line();
  ASSERT_TRUE(refused.ok()) << "answered while the line is still open";
  const Json r = Json::parse(*refused);
  EXPECT_EQ(code(r), "MESSAGE_TOO_LARGE");
  EXPECT_TRUE(r["request_id"].is_null());
  // The server has stopped sending; what the peer still sends is read and dropped, never answered.
  EXPECT_TRUE(line.send_raw("\n" + line_of(100, "after") + "\n").ok());
  EXPECT_FALSE(line.read_line().ok());
  EXPECT_TRUE(line.peer_closed());
}

// --- §4, §10.3, §10.5: a malformed auth block, per stage ------------------------------------

TEST_F(ProtocolClaimsStage1, Stage1NeverReadsTheAuthBlock) {
  auto line = connect_raw();
  EXPECT_EQ(code(answer(line, R"({"type":"list_projects","auth":"junk"})")), "OK");
  EXPECT_EQ(code(answer(line, R"({"type":"list_projects","auth":{"signature":5}})")), "OK");
}

TEST_F(ProtocolClaimsStage2, Stage2AnswersANonObjectAuthAuthRequiredAndAnIncompleteOneInvalidField) {
  auto alice = as("alice");
  ASSERT_TRUE(alice);
  const auto sign = alice->hook;
  const auto with_auth = [&](Json auth) {
    alice->hook = [sign, auth](Json& request) {
      sign(request);
      request["auth"] = auth;
    };
    auto r = alice->call("list_projects");
    alice->hook = sign;
    return r.ok() ? std::string("OK") : std::string(to_string(r.error().code));
  };
  EXPECT_EQ(with_auth("junk"), "AUTH_REQUIRED");
  EXPECT_EQ(with_auth(Json::array()), "AUTH_REQUIRED");
  EXPECT_EQ(with_auth(nullptr), "AUTH_REQUIRED");
  EXPECT_EQ(with_auth(Json::object()), "INVALID_FIELD");
  EXPECT_EQ(with_auth(Json{{"agent_id", "alice"}, {"timestamp", "1"}, {"signature", "ab"}}), "INVALID_FIELD");

  // Priority: -100 ... 100.
  auto project = alice->call("create_project", Json{{"name", "p"}});
  ASSERT_TRUE(project.ok());
  const auto task = [&](std::int64_t priority) {
    return error_code_of(alice->call("create_task", Json{{"project_id", (*project)["id"]},
                                                         {"specialty", "testing"},
                                                         {"description", "d"},
                                                         {"priority", priority}}));
  };
  EXPECT_EQ(task(100), "OK");
  EXPECT_EQ(task(-100), "OK");
  EXPECT_EQ(task(101), "INVALID_FIELD");
  EXPECT_EQ(task(-101), "INVALID_FIELD");
}

class ProtocolClaimsStage3 : public Stage3Fixture {};

TEST_F(ProtocolClaimsStage3, Stage3AnswersAnAbsentAuthAuthRequiredAndAnyOtherMalformedOneInvalidField) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  const auto sign = alice->hook;
  const auto with_auth = [&](std::optional<Json> auth) {
    alice->hook = [sign, auth](Json& request) {
      sign(request);
      if (auth) {
        request["auth"] = *auth;
      } else {
        request.erase("auth");
      }
    };
    auto r = alice->call("list_projects");
    alice->hook = sign;
    return r.ok() ? std::string("OK") : std::string(to_string(r.error().code));
  };
  EXPECT_EQ(with_auth(std::nullopt), "AUTH_REQUIRED");
  EXPECT_EQ(with_auth(Json(nullptr)), "AUTH_REQUIRED");
  EXPECT_EQ(with_auth(Json("junk")), "INVALID_FIELD");
  EXPECT_EQ(with_auth(Json::array()), "INVALID_FIELD");
  EXPECT_EQ(with_auth(Json::object()), "INVALID_FIELD");

  // Priority: 0 ... 100.
  auto project = alice->call("create_project", Json{{"name", "p"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  const auto task = [&](std::int64_t priority) {
    return error_code_of(alice->call("create_task", Json{{"project_id", (*project)["id"]},
                                                         {"specialty", "testing"},
                                                         {"description", "d"},
                                                         {"priority", priority}}));
  };
  EXPECT_EQ(task(0), "OK");
  EXPECT_EQ(task(100), "OK");
  EXPECT_EQ(task(-1), "INVALID_FIELD");
  EXPECT_EQ(task(101), "INVALID_FIELD");
}

}  // namespace
}  // namespace lab::test
