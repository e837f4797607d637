// The request/response envelope: what a line must look like to be a request,
// which stable error code each malformed line gets, and the response shapes.
#include "core/envelope.h"

#include <gtest/gtest.h>

#include <string>

namespace lab {
namespace {

using namespace std::string_literals;

// Parses `line`; returns the error code name or "OK".
std::string code_for(std::string_view line) {
  Json id;
  auto r = parse_request(line, id);
  return r.ok() ? "OK" : std::string(to_string(r.error().code));
}

Json parse_line(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "a message must be exactly one line";
  return Json::parse(line);
}

TEST(EnvelopeTest, AFullRequestIsParsedIntoItsParts) {
  Json id;
  auto r = parse_request(R"({"request_id":"r-1","type":"create_project","session_id":"sess_1",)"
                         R"("payload":{"name":"p"},"auth":{"sig":"x"}})",
                         id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->request_id, "r-1");
  EXPECT_EQ(id, "r-1");
  EXPECT_EQ(r->type, "create_project");
  EXPECT_EQ(r->session_id, "sess_1");
  EXPECT_EQ(r->payload, (Json{{"name", "p"}}));
  EXPECT_EQ(r->auth, (Json{{"sig", "x"}}));
}

TEST(EnvelopeTest, OnlyTypeIsRequired) {
  Json id = "stale";
  auto r = parse_request(R"({"type":"list_projects"})", id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(id.is_null());
  EXPECT_TRUE(r->request_id.is_null());
  EXPECT_EQ(r->session_id, std::nullopt);
  EXPECT_EQ(r->payload, Json::object());
  EXPECT_TRUE(r->auth.is_null());
}

TEST(EnvelopeTest, IntegerAndNullRequestIdsAreAccepted) {
  Json id;
  ASSERT_TRUE(parse_request(R"({"type":"x","request_id":42})", id).ok());
  EXPECT_EQ(id, 42);
  ASSERT_TRUE(parse_request(R"({"type":"x","request_id":null})", id).ok());
  EXPECT_TRUE(id.is_null());
}

TEST(EnvelopeTest, NullSessionIdAndNullPayloadMeanAbsent) {
  Json id;
  auto r = parse_request(R"({"type":"x","session_id":null,"payload":null})", id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->session_id, std::nullopt);
  EXPECT_EQ(r->payload, Json::object());
}

TEST(EnvelopeTest, BlankLinesAreEmptyMessages) {
  EXPECT_EQ(code_for(""), "EMPTY_MESSAGE");
  EXPECT_EQ(code_for("   "), "EMPTY_MESSAGE");
  EXPECT_EQ(code_for(" \t\r "), "EMPTY_MESSAGE");
}

TEST(EnvelopeTest, TextThatIsNotJsonIsMalformed) {
  EXPECT_EQ(code_for("hello"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"login")"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"login"} trailing)"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":'login'})"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"login",})"), "MALFORMED_JSON");
}

TEST(EnvelopeTest, InvalidUtf8IsMalformed) {
  EXPECT_EQ(code_for("{\"type\":\"\xc3\x28\"}"), "MALFORMED_JSON");
  EXPECT_EQ(code_for("{\"type\":\"x\",\"payload\":{\"name\":\"\xff\xfe\"}}"), "MALFORMED_JSON");
  EXPECT_EQ(code_for("\xef\xbb\xbf\xff"), "MALFORMED_JSON");
}

TEST(EnvelopeTest, NulBytesAnywhereAreMalformed) {
  EXPECT_EQ(code_for("\0"s), "MALFORMED_JSON");
  EXPECT_EQ(code_for("\0\0\0"s), "MALFORMED_JSON");
  EXPECT_EQ(code_for("{\"type\":\"x\0\"}"s), "MALFORMED_JSON");
  EXPECT_EQ(code_for("\0{\"type\":\"list_projects\"}"s), "MALFORMED_JSON");
}

// A NUL must not end the message early: whatever follows it would be
// silently ignored, and two parsers could disagree on what was sent.
TEST(EnvelopeTest, ARequestFollowedByNulAndMoreBytesIsMalformedNotTruncated) {
  EXPECT_EQ(code_for("{\"type\":\"list_projects\"}\0"s), "MALFORMED_JSON");
  EXPECT_EQ(code_for("{\"type\":\"list_projects\"}\0{\"type\":\"change_role\"}"s), "MALFORMED_JSON");
}

TEST(EnvelopeTest, JsonThatIsNotAnObjectIsAnInvalidRequest) {
  EXPECT_EQ(code_for(R"([{"type":"login"}])"), "INVALID_REQUEST");
  EXPECT_EQ(code_for(R"("login")"), "INVALID_REQUEST");
  EXPECT_EQ(code_for("42"), "INVALID_REQUEST");
  EXPECT_EQ(code_for("null"), "INVALID_REQUEST");
  EXPECT_EQ(code_for("true"), "INVALID_REQUEST");
}

TEST(EnvelopeTest, AMissingTypeIsAMissingField) {
  EXPECT_EQ(code_for(R"({"payload":{}})"), "MISSING_FIELD");
  EXPECT_EQ(code_for("{}"), "MISSING_FIELD");
}

TEST(EnvelopeTest, WronglyTypedEnvelopeFieldsAreInvalidFields) {
  EXPECT_EQ(code_for(R"({"type":42})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":null})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","session_id":7})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","payload":[1,2]})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","payload":"name=p"})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","request_id":{"a":1}})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","request_id":1.5})"), "INVALID_FIELD");
  EXPECT_EQ(code_for(R"({"type":"x","request_id":true})"), "INVALID_FIELD");
}

TEST(EnvelopeTest, AnOutOfRangeNumberIsMalformed) {
  EXPECT_EQ(code_for(R"({"type":"x","payload":{"priority":1e400}})"), "MALFORMED_JSON");
}

TEST(EnvelopeTest, TheRequestIdSurvivesALaterErrorSoItCanBeCorrelated) {
  Json id;
  auto r = parse_request(R"({"request_id":"r-9","type":5})", id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(id, "r-9");

  ASSERT_FALSE(parse_request(R"({"request_id":17})", id).ok());
  EXPECT_EQ(id, 17);
}

TEST(EnvelopeTest, AnUnusableRequestIdIsNotEchoed) {
  Json id = "stale";
  ASSERT_FALSE(parse_request(R"({"request_id":[1],"type":"x"})", id).ok());
  EXPECT_TRUE(id.is_null());
  ASSERT_FALSE(parse_request("not json", id).ok());
  EXPECT_TRUE(id.is_null());
}

TEST(EnvelopeTest, DeeplyNestedJsonIsAnsweredNotCrashed) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(code_for(deep), "NESTING_TOO_DEEP");
  EXPECT_EQ(code_for(std::string(100000, '[')), "MALFORMED_JSON");
}

TEST(EnvelopeTest, OkResponseIsOneLineWithStatusDataAndTheEchoedId) {
  const Json msg = parse_line(ok_response("r-1", Json{{"text", "two\nlines"}}));
  EXPECT_EQ(msg, (Json{{"request_id", "r-1"}, {"status", "ok"}, {"data", {{"text", "two\nlines"}}}}));
}

TEST(EnvelopeTest, ErrorResponseCarriesTheStableCodeAndMessage) {
  const Json msg = parse_line(error_response(7, Error{ErrorCode::kSessionExpired, "log in again"}));
  EXPECT_EQ(msg,
            (Json{{"request_id", 7}, {"status", "error"}, {"code", "SESSION_EXPIRED"}, {"message", "log in again"}}));
}

TEST(EnvelopeTest, ErrorResponseWithoutIdHasANullRequestId) {
  const Json msg = parse_line(error_response(nullptr, Error{ErrorCode::kMalformedJson, "bad"}));
  ASSERT_TRUE(msg.contains("request_id"));
  EXPECT_TRUE(msg["request_id"].is_null());
}

TEST(EnvelopeTest, EventMessageWrapsTheEvent) {
  const Json msg = parse_line(event_message(Json{{"kind", "task_created"}, {"seq", 3}}));
  EXPECT_EQ(msg, (Json{{"type", "event"}, {"event", {{"kind", "task_created"}, {"seq", 3}}}}));
}

TEST(EnvelopeTest, ResponsesWithInvalidUtf8DataAreStillValidJsonLines) {
  const std::string bad = "caf\xc3";
  const Json msg = parse_line(ok_response("r", Json{{"name", bad}}));
  EXPECT_EQ(msg["status"], "ok");
  EXPECT_TRUE(msg["data"]["name"].is_string());
}

TEST(EnvelopeTest, NonAsciiTextRoundTripsUnescaped) {
  const std::string line = ok_response("r", Json{{"name", "Zoë ✓"}});
  EXPECT_NE(line.find("Zoë ✓"), std::string::npos);
  EXPECT_EQ(parse_line(line)["data"]["name"], "Zoë ✓");
}

}  // namespace
}  // namespace lab
