// The request/response envelope: what a line must look like to be a request,
// which stable error code each malformed line gets, and the response shapes.
#include "core/envelope.h"

#include "core/bounded_json.h"

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
  ASSERT_TRUE(r->auth.is_object());
  ASSERT_NE(r->auth.text("sig"), nullptr);
  EXPECT_EQ(*r->auth.text("sig"), "x");
  EXPECT_EQ(r->auth, AuthFields::from_json(Json{{"sig", "x"}}));
}

TEST(EnvelopeTest, OnlyTypeIsRequired) {
  Json id = "stale";
  auto r = parse_request(R"({"type":"list_projects"})", id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(id.is_null());
  EXPECT_TRUE(r->request_id.is_null());
  EXPECT_EQ(r->session_id, std::nullopt);
  EXPECT_EQ(r->payload, Json::object());
  EXPECT_TRUE(r->auth.absent());
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

TEST(EnvelopeTest, OneByteOutsideAsciiAnywhereInTheLineIsReadAsUtf8) {
  // Every length from 1 to 16 bytes before the string's end, so the byte falls in each position of a word.
  for (std::size_t pad = 1; pad <= 16; ++pad) {
    const std::string before = R"({"type":"x","payload":{"s":")" + std::string(pad, 'a');
    EXPECT_EQ(code_for(before + "\xff\"}}"), "MALFORMED_JSON") << pad;
    EXPECT_EQ(code_for(before + "\xc3\"}}"), "MALFORMED_JSON") << pad;  // cut in the middle of a character
    Json id;
    auto read = parse_request(before + "\xc3\xab\"}}", id);
    ASSERT_TRUE(read.ok()) << pad;
    EXPECT_EQ(read->payload["s"], std::string(pad, 'a') + "\xc3\xab") << pad;
  }
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

// `levels` nested objects: {"a":{"a":...{}}}
std::string nested_objects(int levels) {
  std::string text;
  for (int i = 1; i < levels; ++i) text += R"({"a":)";
  text += "{}";
  text += std::string(static_cast<std::size_t>(levels - 1), '}');
  return text;
}

TEST(EnvelopeTest, APayloadAtTheDepthLimitIsReadAndOneLevelMoreIsRefusedWithItsRequestId) {
  // The envelope is level 1, the payload level 2.
  Json id;
  auto at_limit = parse_request(R"({"type":"x","payload":)" + nested_objects(kMaxJsonDepth - 1) + "}", id);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->payload, Json::parse(nested_objects(kMaxJsonDepth - 1)));

  auto beyond = parse_request(R"({"type":"x","payload":)" + nested_objects(kMaxJsonDepth) + R"(,"request_id":7})", id);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().code, ErrorCode::kNestingTooDeep);
  EXPECT_EQ(id, 7) << "a request id after the deep value is still echoed";
}

TEST(EnvelopeTest, PayloadAndAuthAreReadExactlyAsAJsonParserReadsThem) {
  const std::string payload =
      R"({"s":"caf\u00e9 \ud83d\ude00 \"q\" \\ \n","n":[-1,0,18446744073709551615,-9223372036854775808,)"
      R"(1.5,-2.5e-3,true,false,null],"o":{"z":{},"y":[]},"":"empty key"})";
  Json id;
  auto r = parse_request(R"({"type":"x","payload":)" + payload + R"(,"auth":[1,{"k":"v"}]})", id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->payload, Json::parse(payload));
  EXPECT_EQ(r->payload.dump(), Json::parse(payload).dump());
  EXPECT_TRUE(r->payload["n"][2].is_number_unsigned());
  EXPECT_EQ(r->auth.shape(), AuthFields::Shape::kOther) << "an array is an auth block of the wrong shape";
}

TEST(EnvelopeTest, AnAuthBlockIsReadAsItsStringAndIntegerMembers) {
  Json id;
  auto r = parse_request(R"({"type":"x","auth":{"agent_id":"alice","timestamp":1795442649,"neg":-5,)"
                         R"("big":9223372036854775808,"frac":1.5,"flag":true,"none":null,"list":[1],)"
                         R"("obj":{"agent_id":"inner"},"dup":1,"dup":"last"}})",
                         id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const AuthFields& auth = r->auth;
  ASSERT_TRUE(auth.is_object());
  ASSERT_NE(auth.text("agent_id"), nullptr);
  EXPECT_EQ(*auth.text("agent_id"), "alice") << "escapes are decoded";
  EXPECT_EQ(auth.integer("timestamp"), 1795442649);
  EXPECT_EQ(auth.integer("neg"), -5);
  EXPECT_EQ(auth.text("timestamp"), nullptr) << "an integer is not text";
  EXPECT_EQ(auth.integer("agent_id"), std::nullopt) << "text is not an integer";
  for (const char* other : {"big", "frac", "flag", "none", "list", "obj"}) {
    EXPECT_EQ(auth.text(other), nullptr) << other;
    EXPECT_EQ(auth.integer(other), std::nullopt) << other;
  }
  ASSERT_NE(auth.text("dup"), nullptr) << "a repeated member keeps its last value";
  EXPECT_EQ(*auth.text("dup"), "last");
  EXPECT_EQ(auth.text("missing"), nullptr);
  EXPECT_EQ(auth, AuthFields::from_json(Json::parse(R"({"agent_id":"alice","timestamp":1795442649,"neg":-5,)"
                                                    R"("big":9223372036854775808,"frac":1.5,"flag":true,)"
                                                    R"("none":null,"list":[1],"obj":{},"dup":"last"})")))
      << "a JSON parser's reading of the same block, flattened, is the same block";
}

TEST(EnvelopeTest, AnAuthBlockThatIsNotAnObjectHasTheWrongShapeAndNullIsNone) {
  for (const char* value : {R"("text")", "1", "true", "[]"}) {
    Json id;
    auto r = parse_request(std::string(R"({"type":"x","auth":)") + value + "}", id);
    ASSERT_TRUE(r.ok()) << value;
    EXPECT_EQ(r->auth.shape(), AuthFields::Shape::kOther) << value;
  }
  Json id;
  auto r = parse_request(R"({"type":"x","auth":{"a":"b"},"auth":null})", id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->auth.absent()) << "the last auth member counts, and null is no block";
}

TEST(EnvelopeTest, NumbersReadAsAJsonParserReadsThem) {
  // Zeros written with an exponent or many digits, found by fuzz/envelope_fuzzer (RapidJSON 1.1.0 read them as garbage).
  for (const char* text : {"0e100", "0.000000000000000000000000", "-0.0e-5", "0E+0", "1e-400", "123.456e2", "-1.5",
                           "9223372036854775807", "-9223372036854775808", "18446744073709551615",
                           "18446744073709551616", "-9223372036854775809", "0.1", "2.2250738585072014e-308"}) {
    Json id;
    auto r = parse_request(std::string(R"({"type":"x","payload":{"n":)") + text + "}}", id);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    const Json expected = Json::parse(text);
    EXPECT_EQ(r->payload["n"], expected) << text;
    EXPECT_EQ(r->payload["n"].type(), expected.type()) << text;
  }
}

TEST(EnvelopeTest, ARepeatedMemberKeepsItsLastValueAtEveryLevel) {
  Json id;
  auto r = parse_request(
      R"({"type":"a","payload":{"k":1,"k":2},"type":"b","session_id":"s1","session_id":"s2","payload":{"k":3,"k":4}})",
      id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, "b");
  EXPECT_EQ(r->session_id, "s2");
  EXPECT_EQ(r->payload, (Json{{"k", 4}}));
  EXPECT_EQ(code_for(R"({"type":"a","type":7})"), "INVALID_FIELD");
}

TEST(EnvelopeTest, LoneUtf16SurrogatesAreNotText) {
  EXPECT_EQ(code_for(R"({"type":"x","payload":{"s":"\ud800"}})"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"x","payload":{"s":"\udc00"}})"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"x","payload":{"\udfff":1}})"), "MALFORMED_JSON");
  EXPECT_EQ(code_for("{\"type\":\"x\",\"payload\":{\"s\":\"\xed\xa0\x80\"}}"), "MALFORMED_JSON");
  EXPECT_EQ(code_for(R"({"type":"x","payload":{"s":"\ud83d\ude00"}})"), "OK");
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

TEST(EnvelopeTest, AControlByteIsRefusedWhereverItStandsAndTabOrCarriageReturnOnlyBetweenTokens) {
  // Inside a string at every offset of a 16-byte block (the reader scans strings sixteen bytes at a time), and
  // between tokens: no byte below 0x20 is JSON text unescaped, and between tokens only tab, line feed and carriage
  // return are.
  for (int byte = 0; byte < 0x20; ++byte) {
    for (std::size_t offset = 0; offset < 40; ++offset) {
      std::string name(40, 'n');
      name[offset] = static_cast<char>(byte);
      Json id;
      const auto r = parse_request(R"({"type":"x","payload":{"name":")" + name + R"("}})", id);
      ASSERT_FALSE(r.ok()) << "byte " << byte << " at offset " << offset;
      EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson) << "byte " << byte << " at offset " << offset;
    }
    Json id;
    const auto between = parse_request(std::string(R"({"type":"x",)") + static_cast<char>(byte) + R"("payload":{}})", id);
    const bool whitespace = byte == '\t' || byte == '\n' || byte == '\r';
    EXPECT_EQ(between.ok(), whitespace) << "byte " << byte << " between tokens";
  }
}

TEST(EnvelopeTest, AnAuthBlockOfAHundredThousandMembersIsReadAndARepeatedNameKeepsItsLastValue) {
  // Each member is added as read: a hostile block of many members costs what reading it costs (a lookup per member
  // would make this line take minutes).
  std::string line = R"({"type":"x","auth":{)";
  for (int i = 0; i < 100'000; ++i) line += R"("m)" + std::to_string(i) + R"(":)" + std::to_string(i) + ",";
  line += R"("m7":"last"}})";
  Json id;
  const auto r = parse_request(line, id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_NE(r->auth.text("m7"), nullptr);
  EXPECT_EQ(*r->auth.text("m7"), "last");
  EXPECT_EQ(r->auth.integer("m8"), 8);
  EXPECT_EQ(r->auth.integer("m99999"), 99'999);
}

}  // namespace
}  // namespace lab
