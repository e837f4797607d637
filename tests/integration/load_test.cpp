// Load: 1,000 concurrent connections x 100 update_task_status requests each (20
// under ThreadSanitizer) against an in-process stage 1 server. Every response must
// be ok and every update accounted for: the versions returned per task are
// exactly 2..(1 + updates on that task), each once, and the final version matches.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/envelope.h"
#include "integration/test_server.h"
#include "net/load_driver.h"

namespace lab::test {
namespace {

constexpr int kConnections = 1000;
#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer runs this ~8x slower than ASan on two cores: the same 1,000
// concurrent connections, fewer rounds each, so it finishes well inside the deadline.
constexpr int kRequestsPerConnection = 20;
#elif defined(__SANITIZE_ADDRESS__)
// AddressSanitizer: the same 1,000 connections with 40 updates each (40,000 updates, about 30 s on two cores).
constexpr int kRequestsPerConnection = 40;
#else
constexpr int kRequestsPerConnection = 100;
#endif
constexpr int kTasks = 10;
constexpr rlim_t kMinOpenFiles = 4096;  // 1,000 client + 1,000 server sockets, with room to spare
constexpr auto kDeadline = std::chrono::seconds(120);

// What the load test needs from an update_task_status response.
struct Reply {
  bool ok = false;  // status "ok" with a task in data
  Json request_id;
  std::string task_id;
  std::uint64_t version = 0;
};

std::uint64_t parse_digits(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

// Fast path for the compact, key-sorted form the server emits,
//   {"data":{...,"id":"task_3",...,"version":17},"request_id":1234,"status":"ok"}
// so 100,000 responses are not all parsed in full on the driver's thread
// (which matters under ASan). Anything else goes through read_reply().
std::optional<Reply> read_reply_fast(std::string_view line) {
  constexpr std::string_view kTail = R"(,"status":"ok"})";
  constexpr std::string_view kRequestId = R"(},"request_id":)";
  constexpr std::string_view kVersion = R"(,"version":)";
  constexpr std::string_view kId = R"(,"id":")";
  if (!line.starts_with(R"({"data":{)") || !line.ends_with(kTail)) return std::nullopt;
  line.remove_suffix(kTail.size());
  const auto rid = line.rfind(kRequestId);
  const auto ver = line.rfind(kVersion);
  const auto id = line.find(kId);
  if (rid == std::string_view::npos || ver == std::string_view::npos || id == std::string_view::npos || ver > rid) {
    return std::nullopt;
  }
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const std::string_view rid_text = line.substr(rid + kRequestId.size());
  const std::string_view ver_text = line.substr(ver + kVersion.size(), rid - ver - kVersion.size());
  const auto id_end = line.find('"', id + kId.size());
  if (!digits(rid_text) || !digits(ver_text) || id_end == std::string_view::npos) return std::nullopt;
  return Reply{true, Json(parse_digits(rid_text)), std::string(line.substr(id + kId.size(), id_end - id - kId.size())),
               parse_digits(ver_text)};
}

Reply read_reply(std::string_view line) {
  if (auto fast = read_reply_fast(line)) return *fast;
  Reply r;
  const Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("data") || !j["data"].is_object()) return r;
  const Json& data = j["data"];
  r.ok = j.value("status", "") == "ok" && data.value("version", Json()).is_number_unsigned();
  r.request_id = j.value("request_id", Json());
  r.task_id = data.value("id", "");
  r.version = r.ok ? data["version"].get<std::uint64_t>() : 0;
  return r;
}

// Raises the soft open-file limit to the hard one; false when that stays below `needed`.
bool raise_open_file_limit(rlim_t needed, rlim_t& got) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
    (void)::getrlimit(RLIMIT_NOFILE, &limit);
  }
  got = limit.rlim_cur;
  return limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed;
}

// Guards the fast path above: it must read exactly what a full parse reads.
TEST(LoadTest, FastResponseReaderAgreesWithAFullParse) {
  Task task;
  task.id = "task_7";
  task.project_id = "proj_1";
  task.description = R"(tricky ,"id":"x" ,"version":9 text)";
  task.version = 12345;
  const std::string line = ok_response(4321, to_json(task));
  const auto fast = read_reply_fast(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(fast.has_value()) << line;
  EXPECT_TRUE(fast->ok);
  EXPECT_EQ(fast->request_id, 4321);
  EXPECT_EQ(fast->task_id, "task_7");
  EXPECT_EQ(fast->version, 12345u);
  EXPECT_FALSE(read_reply_fast(R"({"request_id":1,"status":"error","code":"TASK_NOT_FOUND"})").has_value());
  EXPECT_FALSE(read_reply(R"({"request_id":1,"status":"error","code":"TASK_NOT_FOUND"})").ok);
}

TEST(LoadTest, ThousandConnectionsUpdatingTenTasksLoseNoUpdate) {
  const auto started = std::chrono::steady_clock::now();
  rlim_t open_files = 0;
  if (!raise_open_file_limit(kMinOpenFiles, open_files)) {
    GTEST_SKIP() << "needs RLIMIT_NOFILE >= " << kMinOpenFiles << " for " << kConnections
                 << " connections, but the hard limit allows only " << open_files
                 << " (raise it with `ulimit -Hn` / limits.conf)";
  }

  Stage1TestServer server(TestServerOptions{.threads = 2});
  ASSERT_TRUE(server.start_status().ok()) << server.start_status().error().message;

  // Ten tasks, created over the protocol like any client would.
  net::ProtocolClient setup;
  ASSERT_TRUE(setup.connect(server.client_options()).ok());
  auto project = setup.call("create_project", Json{{"name", "load"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  std::array<std::string, kTasks> task_ids;
  std::array<std::string, kTasks> request_prefix;  // everything before the request id
  for (int t = 0; t < kTasks; ++t) {
    auto task = setup.call("create_task", Json{{"project_id", project->value("id", "")},
                                               {"specialty", "testing"},
                                               {"description", "hot task " + std::to_string(t)}});
    ASSERT_TRUE(task.ok()) << code_of(task);
    ASSERT_EQ(task->value("version", 0), 1);
    task_ids[t] = task->value("id", "");
    request_prefix[t] = R"({"type":"update_task_status","payload":{"task_id":")" + task_ids[t] +
                        R"(","status":"working"},"request_id":)";
  }

  // The driver calls check() on its one thread: plain vectors suffice.
  std::array<std::vector<std::uint64_t>, kTasks> versions;
  for (auto& v : versions) v.reserve(kConnections / kTasks * kRequestsPerConnection);
  std::uint64_t bad_responses = 0;
  std::string first_bad;

  net::LoadPlan plan;
  plan.host = "127.0.0.1";
  plan.port = server.port();
  plan.connections = kConnections;
  plan.requests_per_connection = kRequestsPerConnection;
  plan.deadline = kDeadline;
  plan.make_request = [&](int c, int i) {
    return request_prefix[c % kTasks] + std::to_string(c * kRequestsPerConnection + i) + "}\n";
  };
  plan.check = [&](int c, int i, std::string_view line) {
    const Reply r = read_reply(line);
    if (!r.ok || r.request_id != c * kRequestsPerConnection + i || r.task_id != task_ids[c % kTasks]) {
      if (bad_responses++ == 0) first_bad = std::string(line);
      return false;
    }
    versions[c % kTasks].push_back(r.version);
    return true;
  };

  const net::LoadResult result = net::run_load(plan);

  EXPECT_FALSE(result.timed_out) << "not done within " << kDeadline.count() << " s";
  EXPECT_EQ(result.connect_failures, 0u);
  EXPECT_EQ(result.transport_failures, 0u);
  EXPECT_EQ(result.rejected, 0u) << "first refused response: " << first_bad;
  EXPECT_EQ(result.ok, std::uint64_t{kConnections} * kRequestsPerConnection);

  // Every update accounted for, per task: versions 2..(1 + updates), each exactly once.
  for (int t = 0; t < kTasks; ++t) {
    const std::uint64_t updates = std::uint64_t{kConnections / kTasks} * kRequestsPerConnection;
    std::vector<std::uint64_t>& seen = versions[t];
    std::sort(seen.begin(), seen.end());
    ASSERT_EQ(seen.size(), updates) << task_ids[t];
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end())
        << task_ids[t] << ": a version was returned twice";
    EXPECT_EQ(seen.front(), 2u) << task_ids[t];
    EXPECT_EQ(seen.back(), 1 + updates) << task_ids[t] << ": versions are not contiguous";

    auto final_task = server.server().coordinator().stores().tasks().get_task(task_ids[t]);
    ASSERT_TRUE(final_task.ok());
    EXPECT_EQ(final_task->version, 1 + updates) << task_ids[t] << ": an update was lost";
  }

  // The same totals as a client sees them over the wire.
  auto listing = setup.call("list_tasks", Json{{"project_id", project->value("id", "")}});
  ASSERT_TRUE(listing.ok()) << code_of(listing);
  for (const Json& task : listing->at("tasks")) {
    EXPECT_EQ(task.value("version", std::uint64_t{0}), 1u + kConnections / kTasks * kRequestsPerConnection);
  }

  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("[ load     ] %d connections x %d requests: %.2f s measured, %.0f req/s, %.2f s wall\n", kConnections,
              kRequestsPerConnection, result.seconds, result.requests_per_second(), wall);
  RecordProperty("requests_per_second", std::to_string(static_cast<long>(result.requests_per_second())));
  RecordProperty("wall_seconds", std::to_string(wall));
}

}  // namespace
}  // namespace lab::test
