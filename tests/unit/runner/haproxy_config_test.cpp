// The balancer's configuration: it says what stage 4 relies on (TCP passthrough, PROXY v2 to every coordinator,
// quick health checks, redispatch, long agent connections), the real HAProxy accepts it in check mode, and a plan
// that cannot be written safely is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "runner/haproxy_config.h"
#include "runner/haproxy_process.h"

namespace lab::runner {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

BalancerPlan three_coordinators() {
  BalancerPlan plan;
  plan.bind_address = "127.0.0.1";
  plan.port = 7104;
  plan.servers = {{"coordinator1", "127.0.0.1", 7201}, {"coordinator2", "127.0.0.1", 7202},
                  {"coordinator3", "127.0.0.1", 7203}};
  plan.stats = BalancerStats{"127.0.0.1", 7404};
  return plan;
}

TEST(HaproxyConfig, PassesTlsThroughAndTellsEachCoordinatorTheClientAddress) {
  const auto text = haproxy_config(three_coordinators());
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("    mode tcp\n"));
  EXPECT_THAT(*text, HasSubstr("frontend lab_balancer\n    bind 127.0.0.1:7104\n"));
  EXPECT_THAT(*text, HasSubstr("backend coordinators\n    balance leastconn\n"));
  EXPECT_THAT(*text,
              HasSubstr("    default-server check inter 300ms fall 2 rise 2 send-proxy-v2 check-send-proxy\n"));
  EXPECT_THAT(*text, HasSubstr("    server coordinator1 127.0.0.1:7201\n"));
  EXPECT_THAT(*text, HasSubstr("    server coordinator2 127.0.0.1:7202\n"));
  EXPECT_THAT(*text, HasSubstr("    server coordinator3 127.0.0.1:7203\n"));
  EXPECT_THAT(*text, HasSubstr("    option redispatch\n"));
  for (const char* timeout : {"timeout connect 2s", "timeout client 10m", "timeout server 10m", "timeout tunnel 10m"}) {
    EXPECT_THAT(*text, HasSubstr(timeout));
  }
  EXPECT_THAT(*text, HasSubstr("    maxconn 4096\n"));
  EXPECT_THAT(*text, HasSubstr("listen stats\n    bind 127.0.0.1:7404\n    mode http\n"));
  EXPECT_THAT(*text, HasSubstr("stats uri /stats\n"));
  EXPECT_THAT(*text, Not(HasSubstr("option tcplog")));  // connections are logged only when asked for
  // Foreground, no pid file: the lab (or the container runtime) owns the process.
  EXPECT_THAT(*text, Not(HasSubstr("\n    daemon")));
  EXPECT_THAT(*text, Not(HasSubstr("\n    pidfile")));
  // TLS is never terminated or started by the balancer.
  EXPECT_THAT(*text, Not(HasSubstr("ssl")));
}

TEST(HaproxyConfig, TheStatisticsListenerIsOptional) {
  auto plan = three_coordinators();
  plan.stats.reset();
  const auto text = haproxy_config(plan);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_THAT(*text, Not(HasSubstr("listen stats")));
  EXPECT_THAT(*text, Not(HasSubstr("mode http")));
}

TEST(HaproxyConfig, ConnectionsAreLoggedToStderrWhenAskedFor) {
  auto plan = three_coordinators();
  plan.log_connections = true;
  const auto text = haproxy_config(plan);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("    log stderr format raw local0 info\n"));
  EXPECT_THAT(*text, HasSubstr("    option tcplog\n"));
}

// The real HAProxy in check mode: the written file is a configuration it would run, without warnings.
void expect_haproxy_accepts(const BalancerPlan& plan) {
  const auto text = haproxy_config(plan);
  ASSERT_TRUE(text.ok()) << text.error().message;
  auto dir = TemporaryDirectory::create("lab-haproxy-config-");
  ASSERT_TRUE(dir.ok());
  const auto file = dir->path() / "haproxy.cfg";
  ASSERT_TRUE(write_file(file, *text));
  const auto checked = check_haproxy_config(file);
  EXPECT_TRUE(checked.ok()) << checked.error().message << "\n" << *text;
}

TEST(HaproxyConfig, HaproxyAcceptsTheWrittenConfiguration) {
  expect_haproxy_accepts(three_coordinators());
  auto other = three_coordinators();
  other.stats.reset();
  other.bind_address = "0.0.0.0";
  other.servers = {{"coordinator1", "localhost", 7104}};  // a host name, resolved when HAProxy starts
  other.max_connections = 100;
  other.check_interval = std::chrono::milliseconds(1000);
  other.log_connections = true;
  expect_haproxy_accepts(other);
}

TEST(HaproxyConfig, CheckModeRefusesABrokenFile) {
  auto dir = TemporaryDirectory::create("lab-haproxy-config-");
  ASSERT_TRUE(dir.ok());
  const auto file = dir->path() / "haproxy.cfg";
  ASSERT_TRUE(write_file(file, "frontend f\n    bind 127.0.0.1:7104\n    no-such-keyword here\n"));
  const auto checked = check_haproxy_config(file);
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().message, HasSubstr("no-such-keyword"));
}

std::string refusal(const BalancerPlan& plan) {
  const auto text = haproxy_config(plan);
  if (text.ok()) return "(accepted)";
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidField);
  return text.error().message;
}

TEST(HaproxyConfig, RefusesWhatCannotBeWrittenSafely) {
  auto plan = three_coordinators();
  plan.servers[1].name = "coordinator2\n    server evil 10.0.0.1:22";
  EXPECT_THAT(refusal(plan), HasSubstr("server name"));

  plan = three_coordinators();
  plan.servers[0].name = "";
  EXPECT_THAT(refusal(plan), HasSubstr("server name"));

  plan = three_coordinators();
  plan.servers[2].address = "127.0.0.1 backup";
  EXPECT_THAT(refusal(plan), HasSubstr("coordinator3 has no usable address"));

  plan = three_coordinators();
  plan.servers[0].port = 0;
  EXPECT_THAT(refusal(plan), HasSubstr("coordinator1 needs a port"));

  plan = three_coordinators();
  plan.servers[2].name = "coordinator1";
  EXPECT_THAT(refusal(plan), HasSubstr("named twice"));

  plan = three_coordinators();
  plan.servers.clear();
  EXPECT_THAT(refusal(plan), HasSubstr("no backend server"));

  plan = three_coordinators();
  plan.port = 0;
  EXPECT_THAT(refusal(plan), HasSubstr("frontend port"));

  plan = three_coordinators();
  plan.bind_address = "127.0.0.1\nlisten x";
  EXPECT_THAT(refusal(plan), HasSubstr("bind address"));

  plan = three_coordinators();
  plan.stats->address = "0.0.0.0";
  EXPECT_THAT(refusal(plan), HasSubstr("loopback"));

  plan = three_coordinators();
  plan.stats->port = 0;
  EXPECT_THAT(refusal(plan), HasSubstr("statistics port"));

  plan = three_coordinators();
  plan.stats->port = plan.port;
  EXPECT_THAT(refusal(plan), HasSubstr("share"));

  plan = three_coordinators();
  plan.max_connections = 0;
  EXPECT_THAT(refusal(plan), HasSubstr("max connections"));
  plan.max_connections = 1000000;
  EXPECT_THAT(refusal(plan), HasSubstr("max connections"));

  plan = three_coordinators();
  plan.check_interval = std::chrono::milliseconds(0);
  EXPECT_THAT(refusal(plan), HasSubstr("health-check interval"));
}

TEST(HaproxyStats, ReadsEachServersStatusFromTheCsv) {
  const std::string csv =
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight\n"
      "lab_balancer,FRONTEND,,,0,1,4096,1,0,0,0,0,0,,,,,OPEN,\n"
      "coordinators,coordinator1,0,0,0,1,,1,0,0,,0,,0,0,0,0,UP,1\n"
      "coordinators,coordinator2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1\n"
      "coordinators,coordinator3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN 1/2,1\n"
      "coordinators,BACKEND,0,0,0,1,410,1,0,0,0,0,,0,0,0,0,UP,2\n"
      "stats,FRONTEND,,,1,1,4096,2,0,0,0,0,0,,,,,OPEN,\n";
  const auto states = parse_haproxy_stats(csv, "coordinators");
  ASSERT_TRUE(states.ok()) << states.error().message;
  ASSERT_EQ(states->size(), 3u);
  EXPECT_EQ((*states)[0].name, "coordinator1");
  EXPECT_TRUE((*states)[0].up());
  EXPECT_TRUE((*states)[1].down());
  EXPECT_EQ((*states)[2].status, "DOWN 1/2");
  EXPECT_FALSE((*states)[2].up());
  EXPECT_FALSE(parse_haproxy_stats("<html>not stats</html>", "coordinators").ok());
}

}  // namespace
}  // namespace lab::runner
