// Bad input over a real socket: every malformed line gets its stable error
// code (request_id echoed when one could be read), the same connection keeps
// working afterwards, and another client connected throughout keeps being served.
#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "integration/test_server.h"

namespace lab::test {
namespace {

using namespace std::string_literals;

struct BadInput {
  std::string name;   // test name suffix
  std::string bytes;  // one line, sent exactly as is (terminator included)
  std::string code;   // expected stable error code
  Json request_id;    // expected echo (null when the line gives none)
};

// One request line: `text` and its terminator.
std::string ln(std::string_view text) { return std::string(text) + "\n"; }

// A create_task line whose priority is the literal `number`, otherwise valid.
std::string create_task_with_priority(std::string_view request_id, std::string_view number) {
  return ln(R"({"request_id":")" + std::string(request_id) +
            R"(","type":"create_task","payload":{"project_id":"proj_1","specialty":"testing",)" +
            R"("description":"d","priority":)" + std::string(number) + "}}");
}

// Test names and failure messages show the case's name, not its bytes.
void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::string random_garbage(std::size_t n) {
  std::mt19937 rng(20240229);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out;
  while (out.size() < n) {
    const char c = static_cast<char>(byte(rng));
    if (c != '\n') out.push_back(c);
  }
  return out;
}

std::vector<BadInput> bad_inputs() {
  return {
      // Not JSON at all, or broken JSON.
      {"Unterminated", ln(R"({"type":"list_projects")"), "MALFORMED_JSON", nullptr},
      {"PlainText", "hello server\n", "MALFORMED_JSON", nullptr},
      {"TrailingGarbage", ln(R"({"type":"list_projects"} extra)"), "MALFORMED_JSON", nullptr},
      {"SingleQuotes", "{'type':'list_projects'}\n", "MALFORMED_JSON", nullptr},
      {"TrailingComma", ln(R"({"type":"list_projects",})"), "MALFORMED_JSON", nullptr},
      {"TwoObjectsOnOneLine", ln(R"({"type":"list_projects"}{"type":"list_projects"})"), "MALFORMED_JSON", nullptr},
      // Binary garbage, invalid UTF-8, NUL bytes.
      {"BinaryGarbage", "\x01\x02\xff\xfe\x80\x7f\n", "MALFORMED_JSON", nullptr},
      {"LongBinaryGarbage", random_garbage(64 * 1024) + "\n", "MALFORMED_JSON", nullptr},
      {"InvalidUtf8InString", "{\"type\":\"create_project\",\"payload\":{\"name\":\"\xc3\x28\"}}\n", "MALFORMED_JSON",
       nullptr},
      {"OverlongUtf8", "{\"type\":\"list_projects\",\"x\":\"\xc0\xaf\"}\n", "MALFORMED_JSON", nullptr},
      {"LoneSurrogateBytes", "{\"type\":\"list_projects\",\"x\":\"\xed\xa0\x80\"}\n", "MALFORMED_JSON", nullptr},
      {"OnlyNulBytes", "\0\0\0\n"s, "MALFORMED_JSON", nullptr},
      {"NulInsideString", "{\"type\":\"create_project\",\"payload\":{\"name\":\"a\0b\"}}\n"s, "MALFORMED_JSON",
       nullptr},
      {"NulThenMoreRequest", "{\"type\":\"list_projects\"}\0{\"type\":\"change_role\"}\n"s, "MALFORMED_JSON", nullptr},
      // Empty lines.
      {"EmptyLine", "\n", "EMPTY_MESSAGE", nullptr},
      {"WhitespaceLine", "  \t  \n", "EMPTY_MESSAGE", nullptr},
      {"CrLfOnly", "\r\n", "EMPTY_MESSAGE", nullptr},
      // Valid JSON that is not a request object.
      {"JsonArray", ln(R"([{"type":"list_projects"}])"), "INVALID_REQUEST", nullptr},
      {"JsonString", "\"list_projects\"\n", "INVALID_REQUEST", nullptr},
      {"JsonNumber", "42\n", "INVALID_REQUEST", nullptr},
      {"JsonNull", "null\n", "INVALID_REQUEST", nullptr},
      {"DeeplyNestedArray", std::string(50000, '[') + std::string(50000, ']') + "\n", "NESTING_TOO_DEEP", nullptr},
      // Unknown operation.
      {"UnknownType", ln(R"({"request_id":"u1","type":"drop_tables"})"), "UNKNOWN_TYPE", "u1"},
      {"EmptyType", ln(R"({"request_id":2,"type":""})"), "UNKNOWN_TYPE", 2},
      // Missing fields.
      {"MissingType", ln(R"({"request_id":"m0","payload":{}})"), "MISSING_FIELD", "m0"},
      {"EmptyObject", "{}\n", "MISSING_FIELD", nullptr},
      {"MissingProjectName", ln(R"({"request_id":"m1","type":"create_project","payload":{}})"), "MISSING_FIELD", "m1"},
      {"MissingLoginAgent", ln(R"({"request_id":"m2","type":"login"})"), "MISSING_FIELD", "m2"},
      {"MissingTaskId", ln(R"({"request_id":"m3","type":"claim_task","payload":{}})"), "MISSING_FIELD", "m3"},
      {"NullRequiredField", ln(R"({"request_id":"m4","type":"create_project","payload":{"name":null}})"),
       "MISSING_FIELD", "m4"},
      // Wrongly typed fields.
      {"TypeIsNumber", ln(R"({"request_id":"t0","type":42})"), "INVALID_FIELD", "t0"},
      {"PayloadIsArray", ln(R"({"request_id":"t1","type":"list_projects","payload":[1]})"), "INVALID_FIELD", "t1"},
      {"SessionIdIsNumber", ln(R"({"request_id":"t2","type":"list_projects","session_id":5})"), "INVALID_FIELD", "t2"},
      {"RequestIdIsObject", ln(R"({"request_id":{"a":1},"type":"list_projects"})"), "INVALID_FIELD", nullptr},
      {"NameIsNumber", ln(R"({"request_id":"t3","type":"create_project","payload":{"name":7}})"), "INVALID_FIELD",
       "t3"},
      {"UnknownStatus",
       ln(R"({"request_id":"t4","type":"update_task_status","payload":{"task_id":"task_1","status":"done"}})"),
       "INVALID_FIELD", "t4"},
      {"SpecialtiesIsString", ln(R"({"request_id":"t5","type":"register_worker","payload":{"specialties":"testing"}})"),
       "INVALID_FIELD", "t5"},
      {"UnknownRole", ln(R"({"request_id":"t6","type":"login","payload":{"agent_id":"a","role":"root"}})"),
       "INVALID_FIELD", "t6"},
      // Huge numbers.
      {"PriorityBeyondUint64", create_task_with_priority("h1", "123456789012345678901234567890"), "INVALID_FIELD",
       "h1"},
      {"PriorityUint64Max", create_task_with_priority("h2", "18446744073709551615"), "INVALID_FIELD", "h2"},
      {"PriorityHugeFloat", create_task_with_priority("h3", "-1e300"), "INVALID_FIELD", "h3"},
      {"ExpectedVersionUint64Max",
       ln(R"({"request_id":"h4","type":"update_task_status",)"
          R"("payload":{"task_id":"task_1","status":"working","expected_version":18446744073709551615}})"),
       "INVALID_FIELD", "h4"},
      {"NumberOverflowingDouble", ln(R"({"type":"list_projects","request_id":1e400})"), "MALFORMED_JSON", nullptr},
      {"HugeIntegerRequestIdIsEchoed", ln(R"({"request_id":18446744073709551615,"type":"nope"})"), "UNKNOWN_TYPE",
       Json(std::uint64_t{18446744073709551615u})},
  };
}

class BadInputTest : public Stage1Test, public ::testing::WithParamInterface<BadInput> {
 protected:
  void SetUp() override {
    Stage1Test::SetUp();
    bystander_ = login("bystander", "coordinator");
    raw_ = connect_raw();
  }

  // The next response on the raw connection, parsed.
  Json read_response() {
    auto line = raw_.read_line(kClientTimeout);
    EXPECT_TRUE(line.ok()) << code_of(line);
    if (!line.ok()) return Json();
    Json msg = Json::parse(*line, nullptr, false);
    EXPECT_FALSE(msg.is_discarded()) << "response is not JSON: " << *line;
    return msg;
  }

  void expect_error(const Json& response, const BadInput& input) {
    ASSERT_TRUE(response.is_object()) << input.name;
    EXPECT_EQ(response.value("status", ""), "error") << input.name << ": " << response.dump();
    EXPECT_EQ(response.value("code", ""), input.code) << input.name << ": " << response.value("message", "");
    EXPECT_EQ(response.value("request_id", Json()), input.request_id) << input.name;
    EXPECT_FALSE(response.value("message", "").empty()) << input.name;
  }

  // The raw connection still answers a well-formed request.
  void expect_connection_still_works(const std::string& tag) {
    ASSERT_TRUE(raw_.send_line(Json{{"type", "list_projects"}, {"request_id", tag}}.dump()).ok());
    const Json after = read_response();
    EXPECT_EQ(after.value("status", ""), "ok") << tag << ": " << after.dump();
    EXPECT_EQ(after.value("request_id", Json()), tag);
    EXPECT_FALSE(raw_.peer_closed());
  }

  // The client connected since SetUp is still served.
  void expect_bystander_served(const std::string& name) {
    auto created = bystander_.call("create_project", Json{{"name", name}});
    EXPECT_TRUE(created.ok()) << name << ": " << code_of(created);
    auto listing = bystander_.call("list_projects");
    ASSERT_TRUE(listing.ok()) << code_of(listing);
    EXPECT_EQ(listing->at("projects").back().value("name", ""), name);
  }

  net::ProtocolClient bystander_;
  net::LineClient raw_;
};

TEST_P(BadInputTest, GetsItsStableCodeAndNobodyIsDisconnected) {
  const BadInput& input = GetParam();
  ASSERT_TRUE(raw_.send_raw(input.bytes).ok());
  expect_error(read_response(), input);
  expect_connection_still_works("after-" + input.name);
  expect_bystander_served(input.name);
}

INSTANTIATE_TEST_SUITE_P(Stage1, BadInputTest, ::testing::ValuesIn(bad_inputs()),
                         [](const ::testing::TestParamInfo<BadInput>& info) { return info.param.name; });

using BadInputStreamTest = BadInputTest;

// Every bad line pipelined in one write: each is answered, in order, and the
// connection and the other client survive all of them together.
TEST_F(BadInputStreamTest, AllBadLinesInOneWriteAreAnsweredInOrder) {
  const auto inputs = bad_inputs();
  std::string stream;
  for (const auto& input : inputs) stream += input.bytes;
  ASSERT_TRUE(raw_.send_raw(stream).ok());
  for (const auto& input : inputs) {
    expect_error(read_response(), input);
    if (HasFatalFailure()) return;
  }
  expect_connection_still_works("after-all");
  expect_bystander_served("after-all");
}

TEST_F(BadInputStreamTest, ALineSplitAcrossWritesIsReassembled) {
  const std::string line = ln(R"({"request_id":"split","type":"list_projects"})");
  for (char c : line) ASSERT_TRUE(raw_.send_raw(std::string(1, c)).ok());
  const Json response = read_response();
  EXPECT_EQ(response.value("status", ""), "ok") << response.dump();
  EXPECT_EQ(response.value("request_id", Json()), "split");
}

TEST_F(BadInputStreamTest, ErrorsAreSentToTheSenderOnlyNotToOtherClients) {
  ASSERT_TRUE(raw_.send_raw("garbage\n").ok());
  EXPECT_EQ(read_response().value("code", ""), "MALFORMED_JSON");
  // The bystander's next response is its own, not the garbage's error.
  auto listing = bystander_.call("list_projects");
  ASSERT_TRUE(listing.ok()) << code_of(listing);
  EXPECT_TRUE(listing->at("projects").empty());
}

}  // namespace
}  // namespace lab::test
