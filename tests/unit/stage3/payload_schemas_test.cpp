// Stage 3's payload schemas: what a user of the protocol sees accepted and refused, and the message that says why.
#include "stage3_secure/payload_schemas.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "embedded/embedded_files.h"
#include "stage2_improved/input_rules.h"

namespace lab::stage3 {
namespace {

using ::testing::HasSubstr;

const std::string kPem =
    "-----BEGIN CERTIFICATE-----\r\nMIIBszCCAVmgAwIBAgIUQ2x1c3Rlcg==\nAbc+/def=\n-----END CERTIFICATE-----\n";

// The operations of the coordinator's table (src/coordinator/coordinator.cpp), each with a payload it accepts.
const std::vector<std::pair<std::string, Json>>& valid_payloads() {
  static const std::vector<std::pair<std::string, Json>> kAll = {
      {"login", {{"agent_id", "alice"}, {"password", "correct horse"}, {"certificate", kPem}}},
      {"logout", Json::object()},
      {"get_session_info", Json::object()},
      {"register_worker", {{"specialties", {"testing", "code_review"}}}},
      {"create_project", {{"name", "Q4 review"}, {"description", "line 1\nline 2"}, {"metadata", {{"team", "p"}}}}},
      {"list_projects", Json::object()},
      {"get_project", {{"project_id", "proj_1"}}},
      {"create_task", {{"project_id", "proj_1"}, {"specialty", "testing"}, {"description", "d"}, {"priority", 5}}},
      {"list_tasks",
       {{"project_id", "proj_1"}, {"status", "input-required"}, {"specialty", "testing"}, {"assignee", ""}}},
      {"claim_task", {{"task_id", "task_1"}}},
      {"update_task_status", {{"task_id", "task_1"}, {"status", "completed"}, {"result", {{"ok", true}}},
                              {"expected_version", 2}}},
      {"change_role", {{"agent_id", "bob"}, {"role", "observer"}}},
      {"subscribe_events", Json::object()},
  };
  return kAll;
}

Json sample(std::string_view name) { return Json::parse(*embedded::file("sample_data/" + std::string(name))); }

void expect_refused(std::string_view operation, const Json& payload, std::string_view message,
                    ErrorCode code = ErrorCode::kInvalidField) {
  const Status s = check_payload(operation, payload);
  ASSERT_FALSE(s.ok()) << operation << " accepted " << payload.dump();
  EXPECT_EQ(s.error().code, code) << s.error().message;
  EXPECT_THAT(s.error().message, HasSubstr(message));
}

void expect_accepted(std::string_view operation, const Json& payload) {
  const Status s = check_payload(operation, payload);
  EXPECT_TRUE(s.ok()) << operation << ": " << (s.ok() ? "" : s.error().message);
}

Json with(Json payload, const std::string& field, Json value) {
  payload[field] = std::move(value);
  return payload;
}

const Json kTask = {{"project_id", "proj_1"}, {"specialty", "testing"}, {"description", "d"}};
const Json kProject = {{"name", "n"}};

TEST(PayloadSchemasTest, EveryOperationOfTheCoordinatorsTableHasASchemaAndAcceptsAnOrdinaryPayload) {
  ASSERT_EQ(valid_payloads().size(), 13u);
  for (const auto& [operation, payload] : valid_payloads()) expect_accepted(operation, payload);
}

TEST(PayloadSchemasTest, AnOperationWithoutASchemaIsRefused) {
  expect_refused("drop_tables", Json::object(), "no schema for operation \"drop_tables\"");
  expect_refused("", Json::object(), "no schema for operation");
  expect_refused("Login", valid_payloads()[0].second, "no schema for operation");
}

TEST(PayloadSchemasTest, EveryFieldOfTheSampleProjectPasses) {
  Json project = sample("valid_project.json");
  const Json tasks = project["tasks"];
  project.erase("tasks");
  expect_accepted("create_project", project);
  ASSERT_EQ(tasks.size(), 4u);
  for (Json task : tasks) {
    task["project_id"] = "proj_1";
    expect_accepted("create_task", task);  // inputs with \n and \t (the code review's source)
  }
}

TEST(PayloadSchemasTest, TheSampleFileItselfIsNotACreateProjectPayload) {
  expect_refused("create_project", sample("valid_project.json"), "payload: unexpected field \"tasks\"");
}

// Markup, SQL, paths and lookups are text: output encoding where they are shown is their control (V-031), and
// refusing them would refuse legitimate descriptions. What the schema refuses is what is not text of its field:
// control characters (the forged audit line), out-of-range numbers, and any of these strings used as an id.
TEST(PayloadSchemasTest, HostileSampleValuesAreRefusedWhereTheyBreakTheirFieldsRules) {
  Json project = sample("malicious_project.json");
  const Json task = project["tasks"][0];
  project.erase("tasks");
  expect_refused("create_project", project, "payload.metadata.audit_note: contains a control character");
  Json metadata = project["metadata"];
  metadata.erase("audit_note");
  // Accepted as text: the SQL name, the <script> description, the path, the ${jndi:...} lookup, 1e308.
  expect_accepted("create_project", with(project, "metadata", metadata));

  Json t = task;
  t["project_id"] = "proj_1";
  expect_refused("create_task", t, "payload.priority: must be at most 100");
  t["priority"] = 2;
  expect_accepted("create_task", t);  // "<img onerror>" description and "../../etc/shadow" input are text

  for (const std::string& hostile :
       {project["name"].get<std::string>(), project["description"].get<std::string>(),
        metadata["attachment"].get<std::string>(), metadata["reference"].get<std::string>(),
        task["input"].get<std::string>(),
        sample("malicious_project.json")["metadata"]["audit_note"].get<std::string>()}) {
    expect_refused("get_project", {{"project_id", hostile}}, "payload.project_id:");
    expect_refused("claim_task", {{"task_id", hostile}}, "payload.task_id:");
    expect_refused("change_role", {{"agent_id", hostile}, {"role", "admin"}}, "payload.agent_id:");
  }
}

TEST(PayloadSchemasTest, AnExtraFieldIsRefusedByEveryOperation) {
  for (const auto& [operation, payload] : valid_payloads()) {
    expect_refused(operation, with(payload, "x", 1), "payload: unexpected field \"x\"");
  }
  expect_refused("login", with(valid_payloads()[0].second, "role", "admin"), "unexpected field \"role\"");
  expect_refused("get_session_info", {{"session_id", "s"}}, "unexpected field \"session_id\"");
  // The field's name is quoted printable, never raw.
  const Status s = check_payload("logout", {{"\x1b]52;c;evil\x07", 1}});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("\\x1b"));
  EXPECT_EQ(s.error().message.find('\x1b'), std::string::npos);
}

TEST(PayloadSchemasTest, WrongTypesAreRefused) {
  expect_refused("create_project", Json::array(), "payload: must be an object");
  expect_refused("logout", Json(nullptr), "payload: must be an object");
  expect_refused("create_project", {{"name", "\xff\xfe"}}, "payload: contains text that is not UTF-8");
  expect_refused("create_project", {{"name", 5}}, "payload.name: must be a string");
  expect_refused("create_project", {{"name", nullptr}}, "payload.name: must be a string");
  expect_refused("create_project", with(kProject, "metadata", Json::array()), "payload.metadata: must be an object");
  expect_refused("create_project", with(kProject, "metadata", {{"k", {{"nested", 1}}}}),
                 "payload.metadata.k: must be a string, a number or a boolean");
  expect_refused("create_task", with(kTask, "priority", "5"), "payload.priority: must be an integer");
  expect_refused("create_task", with(kTask, "priority", 2.5), "payload.priority: must be an integer");
  expect_refused("register_worker", {{"specialties", "testing"}}, "payload.specialties: must be an array");
  expect_refused("register_worker", {{"specialties", {"testing", 7}}}, "payload.specialties[1]: must be a string");
  expect_refused("update_task_status", {{"task_id", "task_1"}, {"status", "completed"}, {"expected_version", -1}},
                 "payload.expected_version: must be at least 0");
}

TEST(PayloadSchemasTest, MissingRequiredFieldsAreNamed) {
  expect_refused("create_project", Json::object(), "payload.name: is required", ErrorCode::kMissingField);
  expect_refused("create_task", {{"project_id", "proj_1"}, {"specialty", "testing"}},
                 "payload.description: is required", ErrorCode::kMissingField);
  expect_refused("login", {{"agent_id", "alice"}, {"password", "p"}}, "payload.certificate: is required",
                 ErrorCode::kMissingField);
}

TEST(PayloadSchemasTest, EnumsAcceptOnlyTheirValues) {
  expect_refused("change_role", {{"agent_id", "bob"}, {"role", "superuser"}},
                 "payload.role: must be one of admin, coordinator, worker, observer");
  expect_refused("update_task_status", {{"task_id", "t"}, {"status", "done"}}, "payload.status: must be one of");
  expect_refused("create_task", with(kTask, "specialty", "hacking"), "payload.specialty: must be one of data_analysis");
  expect_refused("register_worker", {{"specialties", Json::array()}}, "payload.specialties: must list at least 1");
  expect_refused("register_worker", {{"specialties", {"testing", "testing"}}},
                 "payload.specialties[1]: repeats an earlier item");
  for (const char* status : {"submitted", "working", "input-required", "completed", "failed", "canceled", "rejected"}) {
    expect_accepted("update_task_status", {{"task_id", "task_1"}, {"status", status}});
  }
}

TEST(PayloadSchemasTest, LengthAndRangeBoundaries) {
  expect_accepted("create_project", {{"name", std::string(stage2::kMaxNameBytes, 'a')}});
  expect_refused("create_project", {{"name", std::string(stage2::kMaxNameBytes + 1, 'a')}},
                 "payload.name: longer than 200 characters");
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "\xc3\xa9";  // 200 characters, 400 bytes
  expect_accepted("create_project", {{"name", accented}});
  expect_refused("create_project", {{"name", ""}}, "payload.name: must not be empty");

  expect_accepted("create_task", with(kTask, "priority", 100));
  expect_accepted("create_task", with(kTask, "priority", 0));
  expect_refused("create_task", with(kTask, "priority", 101), "payload.priority: must be at most 100");
  expect_refused("create_task", with(kTask, "priority", -1), "payload.priority: must be at least 0");

  expect_accepted("create_task", with(kTask, "description", std::string(stage2::kMaxDescriptionBytes, 'd')));
  expect_refused("create_task", with(kTask, "description", std::string(stage2::kMaxDescriptionBytes + 1, 'd')),
                 "payload.description: longer than 10000 characters");
  expect_refused("create_task", with(kTask, "input", std::string(stage2::kMaxInputBytes + 1, 'i')),
                 "payload.input: longer than 100000 characters");

  expect_accepted("claim_task", {{"task_id", std::string(64, 't')}});
  expect_refused("claim_task", {{"task_id", std::string(65, 't')}}, "payload.task_id: longer than 64 characters");
  expect_refused("claim_task", {{"task_id", ""}}, "payload.task_id: must not be empty");

  Json metadata;
  for (int i = 0; i < 32; ++i) metadata["k" + std::to_string(i)] = i;
  expect_accepted("create_project", with(kProject, "metadata", metadata));
  metadata["k32"] = 32;
  expect_refused("create_project", with(kProject, "metadata", metadata), "payload.metadata: has more than 32 fields");
  expect_accepted("create_project", with(kProject, "metadata", {{"note", std::string(1000, 'n')}}));
  expect_refused("create_project", with(kProject, "metadata", {{"note", std::string(1001, 'n')}}),
                 "payload.metadata.note: longer than 1000 characters");

  Json login = valid_payloads()[0].second;
  expect_accepted("login", with(login, "certificate", std::string(8192, 'A')));
  expect_refused("login", with(login, "certificate", std::string(8193, 'A')),
                 "payload.certificate: longer than 8192 characters");
}

TEST(PayloadSchemasTest, ControlCharactersAreRefusedOutsideFreeTextLineBreaksAndTabs) {
  const std::string kControl = "contains a control character or a character not allowed here";
  expect_accepted("create_task", with(kTask, "description", "step 1\n\tstep 2"));
  expect_refused("create_project", {{"name", "two\nlines"}}, "payload.name: " + kControl);
  expect_refused("create_project", {{"name", std::string("nul\0byte", 8)}}, "payload.name: " + kControl);
  expect_refused("create_task", with(kTask, "description", "forged\r\nINFO admin logged in"),
                 "payload.description: " + kControl);
  expect_refused("create_task", with(kTask, "input", "\x1b[2J"), "payload.input: " + kControl);
  expect_refused("create_task", with(kTask, "input", std::string("a\0\x01", 3)), "payload.input: " + kControl);
  expect_refused("create_task", with(kTask, "input", "C1 \xc2\x9b control"), "payload.input: " + kControl);
  expect_refused("get_project", {{"project_id", std::string("proj_1\0x", 8)}}, "payload.project_id:");
  expect_refused("login", with(valid_payloads()[0].second, "password", "p\tw"), "payload.password: " + kControl);
  expect_refused("login", with(valid_payloads()[0].second, "certificate", "-----BEGIN\x1b"),
                 "payload.certificate: must be PEM text");
  // Metadata values are free text; metadata field names are id-like (checked after the schema).
  expect_refused("create_project", with(kProject, "metadata", {{"k", "a\x7f"}}), "payload.metadata.k: " + kControl);
  expect_refused("create_project", with(kProject, "metadata", {{std::string("k\0<x>", 5), 1}}),
                 "payload.metadata: field name \"k\\x00<x>\" is not allowed");
  expect_refused("create_project", with(kProject, "metadata", {{std::string(65, 'k'), 1}}), "is not allowed");
}

TEST(PayloadSchemasTest, ResultIsAnyJsonValueUpTo64KiB) {
  const Json base = {{"task_id", "task_1"}, {"status", "completed"}};
  for (const Json& result : {Json(nullptr), Json("text\r\n"), Json(3.5), Json::array({1, "two"}),
                             Json{{"nested", {{"deep", {1, 2}}}}}}) {
    expect_accepted("update_task_status", with(base, "result", result));
  }
  expect_accepted("update_task_status", with(base, "result", std::string(64 * 1024 - 2, 'r')));
  expect_refused("update_task_status", with(base, "result", std::string(64 * 1024 - 1, 'r')),
                 "payload.result: larger than 65536 bytes as JSON");
}

TEST(PayloadSchemasTest, AHundredThousandCharacterInputIsCheckedWellUnderASecond) {
  const auto start = std::chrono::steady_clock::now();
  expect_accepted("create_task", with(kTask, "input", std::string(stage2::kMaxInputBytes, 'x')));
  expect_refused("create_task", with(kTask, "input", std::string(stage2::kMaxInputBytes - 1, 'x') + "\x01"),
                 "payload.input: contains a control character");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST(PayloadSchemasTest, ConcurrentChecksGiveTheSameAnswers) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&wrong] {
      for (int i = 0; i < 200; ++i) {
        if (!check_payload("create_task", with(kTask, "input", std::string(2000, 'x'))).ok()) ++wrong;
        if (check_payload("create_task", with(kTask, "input", std::string(2000, 'x') + "\x1b")).ok()) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace lab::stage3
