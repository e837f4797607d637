// Stage 4's Redis as the lab starts it, on 127.0.0.1: TLS only, the coordinators' ACL user is the only way in
// and cannot reach what it does not need; with a replica and three Sentinels, a write acknowledged by WAIT
// survives the primary's crash and the Sentinels' failover.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "redis/redis_client.h"
#include "redis/redis_connection.h"
#include "runner/redis_deployment.h"
#include "security/lab_ca_directory.h"

namespace lab::test {
namespace {

using namespace std::chrono_literals;
using redis::RedisConnection;
using redis::RedisReply;
using runner::RedisDeployment;
using runner::RedisDeploymentOptions;

// A lab CA and a deployment in a temporary directory of their own.
struct Lab {
  TemporaryDirectory dir;
  std::unique_ptr<RedisDeployment> redis;
};

std::unique_ptr<Lab> start_lab(bool highly_available) {
  auto dir = TemporaryDirectory::create("lab-redis-");
  if (!dir) {
    ADD_FAILURE() << dir.error().message;
    return nullptr;
  }
  auto lab = std::make_unique<Lab>(Lab{std::move(dir).value(), nullptr});
  const std::vector<std::string> no_agents;
  if (auto ca = security::prepare_lab_ca_directory(lab->dir.path() / "ca", no_agents); !ca) {
    ADD_FAILURE() << ca.error().message;
    return nullptr;
  }
  RedisDeploymentOptions options{.work_dir = lab->dir.path() / "redis",
                                 .ca_dir = lab->dir.path() / "ca",
                                 .with_replica_and_sentinels = highly_available};
  auto started = RedisDeployment::start(std::move(options));
  if (!started) {
    ADD_FAILURE() << started.error().message;
    return nullptr;
  }
  lab->redis = std::make_unique<RedisDeployment>(std::move(started).value());
  return lab;
}

std::unique_ptr<RedisConnection> connect(const redis::RedisConnectionOptions& options) {
  auto connection = RedisConnection::open(options);
  EXPECT_TRUE(connection.ok()) << connection.error().message;
  return connection ? std::move(connection).value() : nullptr;
}

RedisReply run(RedisConnection& connection, std::initializer_list<std::string_view> args) {
  auto reply = connection.command(args);
  EXPECT_TRUE(reply.ok()) << reply.error().message;
  return reply ? std::move(reply).value() : RedisReply{};
}

class SingleRedis : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { lab_ = start_lab(false).release(); }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }
  void SetUp() override {
    if (lab_ == nullptr) GTEST_SKIP() << "the deployment did not start";
  }
  static RedisDeployment& redis() { return *lab_->redis; }

  static Lab* lab_;
};
Lab* SingleRedis::lab_ = nullptr;

TEST_F(SingleRedis, CoordinatorUserPingsOverTls) {
  EXPECT_FALSE(redis().highly_available());
  auto connection = connect(redis().connection_options(redis().primary()));
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(run(*connection, {"PING"}).text, "PONG");

  // The password file `lab serve --redis-password-file` reads: the password, readable by its owner only.
  EXPECT_EQ(read_file(redis().password_file()).value_or(""), redis().credentials().password);
  struct stat info {};
  ASSERT_EQ(::stat(redis().password_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(redis().credentials().password.size(), 64u);
}

TEST_F(SingleRedis, WithoutCredentialsNothingRuns) {
  auto options = redis().connection_options(redis().primary());
  options.credentials.reset();
  auto anonymous = connect(options);
  ASSERT_NE(anonymous, nullptr);
  EXPECT_TRUE(run(*anonymous, {"PING"}).is_error("NOAUTH"));
  EXPECT_TRUE(run(*anonymous, {"GET", "lab:anything"}).is_error("NOAUTH"));
}

TEST_F(SingleRedis, WrongPasswordIsRefused) {
  auto options = redis().connection_options(redis().primary());
  options.credentials->password = "not-the-password";
  auto refused = RedisConnection::open(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("WRONGPASS"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not-the-password"), std::string::npos);
}

TEST_F(SingleRedis, DefaultUserIsOff) {
  auto options = redis().connection_options(redis().primary());
  options.credentials = redis::RedisCredentials{"default", ""};
  EXPECT_FALSE(RedisConnection::open(options).ok());
  options.credentials.reset();
  auto anonymous = connect(options);
  ASSERT_NE(anonymous, nullptr);
  // AUTH with the password alone is AUTH as `default`: refused even with the coordinators' password.
  EXPECT_TRUE(run(*anonymous, {"AUTH", redis().credentials().password}).is_error("WRONGPASS"));
  EXPECT_TRUE(run(*anonymous, {"AUTH", "default", ""}).is_error("WRONGPASS"));
  EXPECT_TRUE(run(*anonymous, {"PING"}).is_error("NOAUTH"));
}

TEST_F(SingleRedis, PlaintextToTheTlsPortFails) {
  auto options = redis().connection_options(redis().primary());
  options.tls.reset();
  options.timeout = 1000ms;
  EXPECT_FALSE(RedisConnection::open(options).ok());
}

TEST_F(SingleRedis, CoordinatorUserCannotReachWhatItDoesNotNeed) {
  auto connection = connect(redis().connection_options(redis().primary()));
  ASSERT_NE(connection, nullptr);
  for (auto args : std::vector<std::vector<std::string_view>>{{"FLUSHALL"},
                                                                {"FLUSHDB"},
                                                                {"CONFIG", "SET", "appendonly", "no"},
                                                                {"CONFIG", "GET", "*"},
                                                                {"KEYS", "*"},
                                                                {"REPLICAOF", "127.0.0.1", "1"},
                                                                {"ACL", "LIST"},
                                                                {"CLIENT", "LIST"},
                                                                {"SHUTDOWN"},
                                                                {"FUNCTION", "FLUSH"},
                                                                {"SET", "other:key", "1"},
                                                                {"PUBLISH", "other-channel", "x"}}) {
    auto reply = connection->command(std::span<const std::string_view>(args));
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_TRUE(reply->is_error("NOPERM")) << args[0] << " answered " << reply->describe();
  }
}

TEST_F(SingleRedis, CoordinatorUserRunsStage4Commands) {
  auto connection = connect(redis().connection_options(redis().primary()));
  ASSERT_NE(connection, nullptr);
  auto& c = *connection;
  EXPECT_TRUE(run(c, {"SET", "lab:nonce:a:1", "1", "NX", "PX", "300000"}).is_ok());
  EXPECT_TRUE(run(c, {"SET", "lab:nonce:a:1", "1", "NX", "PX", "300000"}).is_nil());
  EXPECT_EQ(run(c, {"HSET", "lab:sess:x", "agent", "alice"}).integer, 1);
  EXPECT_EQ(run(c, {"PEXPIRE", "lab:sess:x", "60000"}).integer, 1);
  EXPECT_EQ(run(c, {"SADD", "lab:set", "a"}).integer, 1);
  EXPECT_EQ(run(c, {"ZADD", "lab:agent:alice", "1", "s1"}).integer, 1);
  EXPECT_FALSE(run(c, {"XADD", "lab:events", "*", "type", "x"}).is_error());
  EXPECT_EQ(run(c, {"PUBLISH", "lab:events", "x"}).kind, RedisReply::Kind::kInteger);
  EXPECT_EQ(run(c, {"SCAN", "0", "MATCH", "lab:*"}).kind, RedisReply::Kind::kArray);
  EXPECT_EQ(run(c, {"TIME"}).elements.size(), 2u);
  EXPECT_EQ(run(c, {"ROLE"}).elements.at(0).text, "master");
  EXPECT_NE(run(c, {"INFO", "replication"}).text.find("role:master"), std::string::npos);
  EXPECT_EQ(run(c, {"WAIT", "0", "10"}).kind, RedisReply::Kind::kInteger);
  EXPECT_EQ(run(c, {"FUNCTION", "LOAD", "REPLACE",
                    "#!lua name=labtest\n"
                    "redis.register_function('lab_incr', function(keys) return redis.call('INCR', keys[1]) end)"})
                .text,
            "labtest");
  EXPECT_EQ(run(c, {"FCALL", "lab_incr", "1", "lab:counter"}).integer, 1);
  EXPECT_TRUE(run(c, {"MULTI"}).is_ok());
  run(c, {"INCR", "lab:counter"});
  EXPECT_EQ(run(c, {"EXEC"}).elements.size(), 1u);
}

// The whole topology, once: replication, the Sentinels' view and rights, and a failover.
TEST(HighlyAvailableRedis, WaitedWriteSurvivesFailover) {
  auto lab = start_lab(true);
  ASSERT_NE(lab, nullptr);
  auto& redis = *lab->redis;
  ASSERT_TRUE(redis.highly_available());
  ASSERT_EQ(redis.sentinels().size(), 3u);
  const auto old_primary = redis.primary();
  const auto replica = redis.replica().value();

  // The Sentinels: the coordinators' user finds the primary and nothing more; nobody else gets in.
  auto sentinel = connect(redis.connection_options(redis.sentinels()[0]));
  ASSERT_NE(sentinel, nullptr);
  auto named = run(*sentinel, {"SENTINEL", "get-master-addr-by-name", "lab"});
  ASSERT_EQ(named.elements.size(), 2u);
  EXPECT_EQ(named.elements[1].text, std::to_string(old_primary.port));
  EXPECT_TRUE(run(*sentinel, {"SENTINEL", "FAILOVER", "lab"}).is_error("NOPERM"));
  EXPECT_TRUE(run(*sentinel, {"SENTINEL", "SET", "lab", "quorum", "1"}).is_error("NOPERM"));
  auto anonymous_options = redis.connection_options(redis.sentinels()[0]);
  anonymous_options.credentials.reset();
  auto anonymous = connect(anonymous_options);
  ASSERT_NE(anonymous, nullptr);
  EXPECT_TRUE(run(*anonymous, {"SENTINEL", "get-master-addr-by-name", "lab"}).is_error("NOAUTH"));

  // A write both replicas acknowledged (WAIT 2), so it is on the replica read below.
  auto primary = connect(redis.connection_options(old_primary));
  ASSERT_NE(primary, nullptr);
  const std::vector<redis::RedisCommand> write{{"SET", "lab:session:waited", "alive"}, {"WAIT", "2", "2000"}};
  auto replies = primary->pipeline(write);
  ASSERT_TRUE(replies.ok()) << replies.error().message;
  ASSERT_TRUE((*replies)[0].is_ok());
  ASSERT_EQ((*replies)[1].integer, 2) << "the replicas did not acknowledge the write";
  auto on_replica = connect(redis.connection_options(replica));
  ASSERT_NE(on_replica, nullptr);
  EXPECT_EQ(run(*on_replica, {"GET", "lab:session:waited"}).text, "alive");
  EXPECT_TRUE(run(*on_replica, {"SET", "lab:x", "1"}).is_error("READONLY"));
  on_replica.reset();
  primary.reset();

  // The coordinators' client, configured by the deployment, finds the same primary through the Sentinels.
  redis::RedisClient client(redis.client_options());
  EXPECT_EQ(client.options().replicas_to_wait_for, 1);
  auto found = client.primary();
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, old_primary);

  const auto killed_at = std::chrono::steady_clock::now();
  redis.kill_primary();
  auto promoted = redis.wait_for_failover(20s);
  ASSERT_TRUE(promoted.ok()) << promoted.error().message;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - killed_at;
  std::cout << "[ failover ] the Sentinels promoted " << promoted->to_string() << " " << took.count()
            << " s after the primary was killed\n";
  // One of the two replicas: the Sentinels pick the one with the most of the primary's stream.
  EXPECT_NE(*promoted, old_primary);
  EXPECT_EQ(redis.primary(), *promoted);

  auto new_primary = connect(redis.connection_options(*promoted));
  ASSERT_NE(new_primary, nullptr);
  EXPECT_EQ(run(*new_primary, {"GET", "lab:session:waited"}).text, "alive");
  EXPECT_EQ(run(*new_primary, {"ROLE"}).elements.at(0).text, "master");

  // The client follows the failover on its own.
  auto read = client.command({"GET", "lab:session:waited"}, redis::Retry::kIdempotent);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->text, "alive");
  auto now_primary = client.primary();
  ASSERT_TRUE(now_primary.ok()) << now_primary.error().message;
  EXPECT_EQ(*now_primary, *promoted);
}

}  // namespace
}  // namespace lab::test
