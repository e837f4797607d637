// deploy/compose.yaml, checked offline: docker-compose accepts it (`config`, no Docker engine needed), and in the
// configuration it normalizes Redis and the Sentinels sit only on the internal network, only HAProxy publishes a
// port and only on the host's loopback, and the coordinators trust PROXY headers from exactly HAProxy's address.
// deploy/haproxy.cfg and the Redis start scripts are checked by their own tools (haproxy -c, sh -n).
#include <sys/wait.h>

#include <cstdio>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "runner/haproxy_process.h"

namespace lab {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::filesystem::path kDeploy = std::filesystem::path(LAB_SOURCE_DIR) / "deploy";
constexpr const char* kDockerCompose = "/usr/bin/docker-compose";
const std::set<std::string> kDataServices{"redis-primary", "redis-replica", "redis-replica2", "sentinel1", "sentinel2", "sentinel3"};
const std::set<std::string> kCoordinators{"coordinator1", "coordinator2", "coordinator3"};

struct Run {
  int exit_code = -1;
  std::string output;
};

// Runs `command` through the shell; its exit code and standard output.
Run run(const std::string& command) {
  Run r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) r.output.append(buffer, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// `docker-compose -f file config` with the secrets' files made in `dir`, relative paths resolved from deploy/
// (so a copy of the file elsewhere reads like the real one). Standard error goes to dir/compose.err.
class ComposeCheck {
 public:
  ComposeCheck() {
    auto dir = TemporaryDirectory::create("lab-compose-");
    if (dir.ok()) dir_.emplace(std::move(dir).value());
    if (!dir_) return;
    std::filesystem::create_directories(dir_->path() / "lab_ca");
    write_file(dir_->path() / "lab_ca" / "ca.crt", "placeholder: compose config reads no secret\n");
    write_file(dir_->path() / "redis_password", "0123456789abcdef0123456789abcdef\n");
  }

  bool ready() const { return dir_.has_value(); }
  const std::filesystem::path& dir() const { return dir_->path(); }

  Run config(const std::filesystem::path& file, const std::string& flags = "") const {
    return run("LAB_CA_DIR=" + quoted(dir() / "lab_ca") + " LAB_REDIS_PASSWORD_FILE=" +
               quoted(dir() / "redis_password") + " " + kDockerCompose + " -f " + quoted(file) +
               " --project-directory " + quoted(kDeploy) + " config " + flags + " 2>" +
               quoted(dir() / "compose.err"));
  }

  std::string errors() const { return read_file(dir() / "compose.err").value_or(""); }

  // The normalized configuration as JSON (python3-yaml comes with docker-compose).
  Json normalized(const std::filesystem::path& file) const {
    const auto out = config(file);
    if (out.exit_code != 0) return Json();
    const auto yaml = dir() / "normalized.yaml";
    write_file(yaml, out.output);
    const auto json = run("python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)' " +
                          quoted(yaml));
    if (json.exit_code != 0) return Json();
    return Json::parse(json.output, nullptr, false);
  }

 private:
  std::optional<TemporaryDirectory> dir_;
};

bool published_on_loopback(const Json& port) {
  if (port.is_string()) return port.get<std::string>().starts_with("127.0.0.1:");
  return port.is_object() && port.value("host_ip", "") == "127.0.0.1";
}

// What the normalized configuration exposes that it must not; empty when it keeps to the plan.
std::vector<std::string> exposure_problems(const Json& config) {
  std::vector<std::string> problems;
  if (!config.is_object() || !config.contains("services")) return {"no services in the configuration"};
  if (config["networks"]["backend"].value("internal", false) != true) problems.push_back("backend is not internal");
  for (const auto& [name, service] : config["services"].items()) {
    if (service.contains("network_mode")) problems.push_back(name + " sets network_mode");
    std::set<std::string> networks;
    const Json attached = service.value("networks", Json::object());
    for (const auto& [network, _] : attached.items()) networks.insert(network);
    if ((kDataServices.contains(name) || kCoordinators.contains(name)) && networks != std::set<std::string>{"backend"}) {
      problems.push_back(name + " is on a network other than backend");
    }
    for (const auto& port : service.value("ports", Json::array())) {
      if (name != "haproxy") problems.push_back(name + " publishes a port: " + port.dump());
      else if (!published_on_loopback(port)) problems.push_back("haproxy publishes beyond loopback: " + port.dump());
    }
  }
  if (!config["services"].contains("haproxy") || config["services"]["haproxy"].value("ports", Json::array()).empty()) {
    problems.push_back("haproxy publishes no port");
  }
  return problems;
}

// The value after `flag` in a service's command, or "".
std::string argument(const Json& service, const std::string& flag) {
  const auto command = service.value("command", Json::array());
  for (std::size_t i = 0; i + 1 < command.size(); ++i) {
    if (command[i] == flag) return command[i + 1].get<std::string>();
  }
  return "";
}

class ComposeConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDockerCompose)) GTEST_SKIP() << "docker-compose is not installed (./lab setup)";
    ASSERT_TRUE(check_.ready());
  }
  ComposeCheck check_;
};

TEST_F(ComposeConfigTest, DockerComposeAcceptsTheFile) {
  const auto out = check_.config(kDeploy / "compose.yaml", "-q");
  EXPECT_EQ(out.exit_code, 0) << check_.errors();
}

TEST_F(ComposeConfigTest, RedisStaysInternalAndOnlyHaproxyPublishesOnLoopback) {
  const Json config = check_.normalized(kDeploy / "compose.yaml");
  ASSERT_TRUE(config.is_object()) << check_.errors();
  EXPECT_THAT(exposure_problems(config), IsEmpty());
  std::set<std::string> services;
  for (const auto& [name, _] : config["services"].items()) services.insert(name);
  EXPECT_EQ(services, (std::set<std::string>{"redis-primary", "redis-replica", "redis-replica2", "sentinel1", "sentinel2", "sentinel3",
                                             "coordinator1", "coordinator2", "coordinator3", "haproxy",
                                             "worker-data-analysis", "worker-code-review", "worker-testing",
                                             "worker-documentation", "auditor"}));
}

TEST_F(ComposeConfigTest, CoordinatorsTrustProxyHeadersFromHaproxyAloneAndHaproxyKnowsThemAll) {
  const Json config = check_.normalized(kDeploy / "compose.yaml");
  ASSERT_TRUE(config.is_object()) << check_.errors();
  const std::string haproxy_address = config["services"]["haproxy"]["networks"]["backend"].value("ipv4_address", "");
  ASSERT_FALSE(haproxy_address.empty());
  const std::string haproxy_cfg = read_file(kDeploy / "haproxy.cfg").value_or("");
  for (const auto& name : kCoordinators) {
    const auto& service = config["services"][name];
    EXPECT_EQ(argument(service, "--proxy-protocol-from"), haproxy_address) << name;
    EXPECT_EQ(argument(service, "--sentinel"), "sentinel1:26379");
    EXPECT_EQ(argument(service, "--stage"), "4");
    EXPECT_THAT(haproxy_cfg, HasSubstr("server " + name + " " + name + ":" + argument(service, "--port") + "\n"));
  }
}

TEST_F(ComposeConfigTest, HaproxyAndTheRedisScriptsPassTheirOwnChecks) {
  const auto checked = runner::check_haproxy_config(kDeploy / "haproxy.cfg");
  EXPECT_TRUE(checked.ok()) << checked.error().message;
  const std::string cfg = read_file(kDeploy / "haproxy.cfg").value_or("");
  for (const char* line : {"mode tcp", "balance leastconn", "send-proxy-v2 check-send-proxy", "option redispatch",
                           "timeout tunnel 10m"}) {
    EXPECT_THAT(cfg, HasSubstr(line));
  }
  for (const char* script : {"start-redis.sh", "start-sentinel.sh", "lab-users.sh"}) {
    EXPECT_EQ(run("sh -n " + quoted(kDeploy / "redis" / script)).exit_code, 0) << script;
  }
}

// The checks can fail: a copy docker-compose must refuse, and one it accepts that exposes Redis.
TEST_F(ComposeConfigTest, ABrokenCopyIsRefused) {
  std::string text = read_file(kDeploy / "compose.yaml").value_or("");
  const std::string anchor = "    command: [\"/etc/lab/redis/start-redis.sh\", \"redis-primary\"]\n";
  ASSERT_NE(text.find(anchor), std::string::npos);
  const auto broken = check_.dir() / "broken.yaml";
  write_file(broken, std::string(text).replace(text.find(anchor), anchor.size(), anchor + "    publish_all: yes\n"));
  EXPECT_NE(check_.config(broken, "-q").exit_code, 0);
  EXPECT_THAT(check_.errors(), HasSubstr("publish_all"));

  const auto exposed = check_.dir() / "exposed.yaml";
  write_file(exposed, std::string(text).replace(text.find(anchor), anchor.size(),
                                                anchor + "    ports: [\"6379:6379\"]\n"));
  const Json config = check_.normalized(exposed);
  ASSERT_TRUE(config.is_object()) << check_.errors();
  const auto problems = exposure_problems(config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("redis-primary publishes a port"));
}

}  // namespace
}  // namespace lab
