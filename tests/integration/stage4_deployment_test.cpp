// Stage 4 as `lab serve --stage 4` starts it (runner::Stage4Deployment): Redis, three coordinator instances (lab
// binary processes) and HAProxy in front of them, all on loopback. Through the balancer, with the project's own
// client and lab certificates: an agent works; a session opened on one instance is accepted on another and stays
// bound to the client's own address (PROXY v2 carried it); a killed instance costs its agents a reconnect, not
// a login; and (Sentinels) a Redis primary's crash loses no acknowledged write.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/certificate_profile.h"
#include "client/session.h"
#include "core/temporary_directory.h"
#include "runner/port_file.h"
#include "runner/stage4_deployment.h"
#include "security/lab_ca_directory.h"
#include "test_server.h"

namespace lab::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The last lines of a log, for a failure message.
std::string tail_of(const fs::path& log, std::size_t lines = 15) {
  std::ifstream in(log);
  std::vector<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.erase(last.begin());
  }
  std::string out = "--- " + log.string() + "\n";
  for (const auto& line : last) out += line + "\n";
  return out;
}

constexpr const char* kRedisServer = "/usr/bin/redis-server";

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

class Stage4DeploymentTest : public ::testing::Test {
 protected:
  void start(bool highly_available) {
    auto dir = TemporaryDirectory::create("lab_stage4_deployment_");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    dir_.emplace(std::move(*dir));
    auto ca = security::prepare_lab_ca_directory(ca_dir(), client::lab_certificate_holders());
    ASSERT_TRUE(ca.ok()) << ca.error().message;
    runner::Stage4DeploymentOptions o;
    o.work_dir = dir_->path() / "deployment";
    o.ca_dir = ca_dir();
    o.balancer_port = 0;
    o.highly_available_redis = highly_available;
    o.redis_prefix = "lab:deployment-test:";
    o.extra_serve_args = {"--argon2-memory-kib", "64"};  // fast password hashes at each instance's start
    o.lab_binary = LAB_BINARY;
    const auto begun = Clock::now();
    auto started = runner::Stage4Deployment::start(o);
    ASSERT_TRUE(started.ok()) << started.error().message;
    deployment_ = std::move(*started);
    std::printf("[ deploy   ] Redis (%s), 3 instances and HAProxy up in %.1f s\n",
                highly_available ? "primary, replica, 3 Sentinels" : "one primary", seconds_since(begun));
  }

  void TearDown() override {
    if (!HasFailure() || !deployment_) return;
    std::string logs;
    for (std::size_t i = 0; i < deployment_->instance_count(); ++i) logs += tail_of(deployment_->instance_log(i));
    logs += tail_of(deployment_->balancer().log_file());
    ADD_FAILURE() << "the deployment's logs:\n" << logs;
  }

  fs::path ca_dir() const { return dir_->path() / "ca"; }

  // Mutual TLS to `port` on 127.0.0.1, from `from` (another loopback address) when given.
  net::ClientOptions endpoint(std::uint16_t port, std::optional<std::string> from = std::nullopt) const {
    net::ClientOptions o{.host = "127.0.0.1", .port = port, .bind_address = std::move(from), .timeout = kClientTimeout};
    o.tls = net::TlsClientFiles{(ca_dir() / "ca.crt").string(), security::kLabServerName};
    return o;
  }
  net::ClientOptions through_balancer(std::optional<std::string> from = std::nullopt) const {
    return endpoint(deployment_->balancer_port(), std::move(from));
  }

  static client::Identity identity(const std::string& user) {
    return client::certificate_profile().lab_identity(user, user, Role::kWorker);
  }

  std::unique_ptr<net::ProtocolClient> login(const net::ClientOptions& where, const std::string& user) {
    auto c = client::open_session(4, where, identity(user));
    EXPECT_TRUE(c.ok()) << code_of(c);
    return c.ok() ? std::move(*c) : nullptr;
  }

  // A new connection to `where` that carries on `session`'s session: the same id, signed with the same key. No
  // login: what an agent does when its connection drops.
  static Result<std::unique_ptr<net::ProtocolClient>> resume(const net::ProtocolClient& session,
                                                             const net::ClientOptions& where, const std::string& user) {
    auto who = identity(user);
    auto c = client::open_connection_as(4, where, who);
    if (!c) return c.error();
    (*c)->session_id = session.session_id;
    (*c)->hook = session.hook;
    return std::move(*c);
  }

  // The way to one instance only: a HAProxy of the test's own with that instance as its single server. An
  // instance accepts nothing but a PROXY v2 header from the balancer's address, so this is how to reach it.
  std::unique_ptr<runner::HaproxyProcess> route_to(std::size_t instance) {
    runner::HaproxyOptions o;
    o.plan.port = runner::free_loopback_port().value();
    o.plan.servers = {{"only", "127.0.0.1", deployment_->instance_port(instance)}};
    std::uint16_t stats = o.plan.port;
    for (int i = 0; i < 5 && stats == o.plan.port; ++i) stats = runner::free_loopback_port().value();
    o.plan.stats = runner::BalancerStats{"127.0.0.1", stats};
    o.work_dir = dir_->path() / ("route-to-" + std::to_string(instance));
    auto route = runner::HaproxyProcess::start(o);
    EXPECT_TRUE(route.ok()) << route.error().message;
    if (!route) return nullptr;
    EXPECT_TRUE((*route)->wait_for_status("only", "UP", 5s));
    return std::move(*route);
  }

  std::optional<TemporaryDirectory> dir_;  // first: removed after the deployment stopped
  std::unique_ptr<runner::Stage4Deployment> deployment_;
};

TEST_F(Stage4DeploymentTest, AnAgentLogsInAndWorksThroughTheBalancer) {
  ASSERT_NO_FATAL_FAILURE(start(false));
  auto alice = login(through_balancer(), "alice");  // a coordinator
  ASSERT_TRUE(alice);
  auto project = alice->call("create_project", Json{{"name", "through the balancer"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  auto task = alice->call("create_task", Json{{"project_id", (*project)["id"]},
                                              {"specialty", "testing"},
                                              {"description", "check the balancer"}});
  ASSERT_TRUE(task.ok()) << code_of(task);

  // Another agent, on whichever instance the balancer picks for it, sees the same board.
  auto bob = login(through_balancer(), "bob");
  ASSERT_TRUE(bob);
  auto projects = bob->call("list_projects");
  ASSERT_TRUE(projects.ok()) << code_of(projects);
  ASSERT_EQ((*projects)["projects"].size(), 1u);
  EXPECT_EQ((*projects)["projects"][0]["name"], "through the balancer");
  auto tasks = bob->call("list_tasks", Json{{"project_id", (*project)["id"]}});
  ASSERT_TRUE(tasks.ok()) << code_of(tasks);
  EXPECT_EQ((*tasks)["tasks"].size(), 1u);
}

TEST_F(Stage4DeploymentTest, ASessionIsSharedByInstancesAndBoundToTheClientsOwnAddress) {
  ASSERT_NO_FATAL_FAILURE(start(false));
  auto to_first = route_to(0);
  auto to_second = route_to(1);
  ASSERT_TRUE(to_first && to_second);

  // Opened on instance 1 from 127.0.0.2; the PROXY v2 header names 127.0.0.2, not the balancer.
  auto on_first = login(endpoint(to_first->port(), "127.0.0.2"), "alice");
  ASSERT_TRUE(on_first);
  auto project = on_first->call("create_project", Json{{"name", "opened on instance 1"}});
  ASSERT_TRUE(project.ok()) << code_of(project);

  // The same session, presented to instance 2 from the same address: accepted, the same session.
  auto on_second = resume(*on_first, endpoint(to_second->port(), "127.0.0.2"), "alice");
  ASSERT_TRUE(on_second.ok()) << code_of(on_second);
  auto info = (*on_second)->call("get_session_info");
  ASSERT_TRUE(info.ok()) << code_of(info);
  EXPECT_EQ((*info)["agent_id"], "alice");
  EXPECT_EQ((*info)["client"], "127.0.0.2");
  auto seen = (*on_second)->call("get_project", Json{{"project_id", (*project)["id"]}});
  ASSERT_TRUE(seen.ok()) << code_of(seen);

  // Through the shared balancer from 127.0.0.3: the session records 127.0.0.3.
  auto bob = login(through_balancer("127.0.0.3"), "bob");
  ASSERT_TRUE(bob);
  auto bobs = bob->call("get_session_info");
  ASSERT_TRUE(bobs.ok()) << code_of(bobs);
  EXPECT_EQ((*bobs)["client"], "127.0.0.3");
}

TEST_F(Stage4DeploymentTest, AKilledInstanceCostsAReconnectNotALogin) {
  ASSERT_NO_FATAL_FAILURE(start(false));
  auto alice = login(through_balancer("127.0.0.2"), "alice");
  ASSERT_TRUE(alice);
  const auto session = alice->session_id;
  ASSERT_TRUE(alice->call("create_project", Json{{"name", "before the crash"}}).ok());

  // Which instance holds the connection is HAProxy's choice: kill them in turn until the connection drops
  // (an instance that was not it is started again on its port).
  std::optional<std::size_t> killed;
  Clock::time_point killed_at;
  for (std::size_t i = 0; i < deployment_->instance_count() && !killed; ++i) {
    deployment_->kill_instance(i);
    killed_at = Clock::now();
    if (auto r = alice->call("list_projects"); !r && r.error().code == ErrorCode::kConnectionFailed) {
      killed = i;
    } else {
      ASSERT_TRUE(r.ok()) << code_of(r);
      auto restarted = deployment_->restart_instance(i);
      ASSERT_TRUE(restarted.ok()) << restarted.error().message;
    }
  }
  ASSERT_TRUE(killed) << "no instance's death dropped the agent's connection";

  // The agent connects again through the balancer and carries on with its session: no new login.
  std::unique_ptr<net::ProtocolClient> again;
  for (const auto deadline = killed_at + 5s; !again && Clock::now() < deadline; std::this_thread::sleep_for(100ms)) {
    auto c = resume(*alice, through_balancer("127.0.0.2"), "alice");
    if (c && (*c)->call("list_projects").ok()) again = std::move(*c);
  }
  ASSERT_TRUE(again) << "the session did not carry on through the balancer within 5 s";
  std::printf("[ failover ] instance %zu killed: the same session worked again through the balancer after %.2f s\n",
              *killed + 1, seconds_since(killed_at));
  EXPECT_EQ(again->session_id, session);
  auto project = again->call("create_project", Json{{"name", "after the crash"}});
  EXPECT_TRUE(project.ok()) << code_of(project);

  // The killed instance comes back on its port and HAProxy takes it in again.
  auto restarted = deployment_->restart_instance(*killed);
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
}

TEST_F(Stage4DeploymentTest, ARedisFailoverLosesNoAcknowledgedWrite) {
  ASSERT_NO_FATAL_FAILURE(start(true));
  auto alice = login(through_balancer(), "alice");
  ASSERT_TRUE(alice);
  auto project = alice->call("create_project", Json{{"name", "survives a failover"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  const Json project_id = (*project)["id"];
  const auto new_task = [&](const std::string& description) {
    return Json{{"project_id", project_id}, {"specialty", "testing"}, {"description", description}};
  };
  std::vector<std::string> acknowledged;
  for (int i = 0; i < 5; ++i) {
    auto task = alice->call("create_task", new_task("before the crash " + std::to_string(i)));
    ASSERT_TRUE(task.ok()) << code_of(task);
    acknowledged.push_back((*task)["id"].get<std::string>());
  }

  auto& redis = deployment_->redis();
  const auto crashed = redis.primary();
  const auto killed_at = Clock::now();
  redis.kill_primary();
  // The operator's part, in the background: once the Sentinels promoted the replica, the crashed node comes back
  // as the new primary's replica (start-redis.sh's way; Sentinel would convert a node that came back as primary
  // about 10 s later). Until a replica is back no write is acknowledged: each waits for one (WAIT 1), and the
  // promoted node has none.
  std::optional<double> promoted_s, rejoined_s;
  auto rejoined = std::async(std::launch::async, [&]() -> Result<runner::ChildProcess> {
    auto promoted = redis.wait_for_failover(20s);
    if (!promoted) return promoted.error();
    promoted_s = seconds_since(killed_at);
    const auto dir = redis.work_dir() / "primary";  // RedisDeployment's layout: the first primary's directory
    auto node = runner::ChildProcess::spawn(
        kRedisServer, {(dir / "redis.conf").string(), "--replicaof", "127.0.0.1", std::to_string(promoted->port)},
        dir / "redis.log");
    rejoined_s = seconds_since(killed_at);
    return node;
  });
  // Writes through the balancer until one is acknowledged again; a connection that broke is resumed (same
  // session). Each try is bounded by the client's deadline, the whole by 40 s.
  std::optional<double> first_write_s;
  std::string last_error;
  std::unique_ptr<net::ProtocolClient> resumed;
  net::ProtocolClient* current = alice.get();
  for (int attempt = 0; !first_write_s && Clock::now() < killed_at + 40s; ++attempt) {
    if (!current) {
      auto c = resume(*alice, through_balancer(), "alice");
      if (!c) {
        last_error = code_of(c);
        std::this_thread::sleep_for(200ms);
        continue;
      }
      resumed = std::move(*c);
      current = resumed.get();
    }
    auto task = current->call("create_task", new_task("after the crash " + std::to_string(attempt)));
    if (task.ok()) {
      first_write_s = seconds_since(killed_at);
      acknowledged.push_back((*task)["id"].get<std::string>());
      break;
    }
    last_error = code_of(task);
    if (task.error().code == ErrorCode::kConnectionFailed) current = nullptr;  // resumed on a new connection
    std::this_thread::sleep_for(200ms);
  }
  auto node = rejoined.get();  // stopped when the test ends
  ASSERT_TRUE(node.ok()) << node.error().message;
  ASSERT_TRUE(first_write_s) << "no write acknowledged within 40 s of the primary's crash; last: " << last_error;
  std::printf("[ failover ] Redis primary %s killed: replica promoted after %.2f s, crashed node back as its "
              "replica after %.2f s, first write acknowledged through the balancer after %.2f s\n",
              crashed.to_string().c_str(), promoted_s.value_or(-1), rejoined_s.value_or(-1), *first_write_s);
  RecordProperty("failover_first_write_ms", static_cast<int>(*first_write_s * 1000));

  auto tasks = current->call("list_tasks", Json{{"project_id", project_id}});
  ASSERT_TRUE(tasks.ok()) << code_of(tasks);
  std::size_t lost = 0;
  for (const auto& id : acknowledged) {
    bool found = false;
    for (const auto& t : (*tasks)["tasks"]) found = found || t["id"] == id;
    if (!found) ++lost;
  }
  EXPECT_EQ(lost, 0u) << "acknowledged writes lost in the failover";
}

}  // namespace
}  // namespace lab::test
