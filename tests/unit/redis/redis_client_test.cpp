// The Redis client against a real redis-server on loopback: framing and replies through hiredis, credentials,
// pipelining as one round trip, and how the pooled client rides out a server that goes away or stops being the
// primary.
#include <gtest/gtest.h>

#include <thread>

#include "redis/redis_client.h"
#include "unit/redis/local_redis.h"

namespace lab::redis {
namespace {

using namespace std::chrono_literals;
using testing::LocalRedis;

TEST(RedisEndpoint, ParsesHostAndPortAndNamesWhatIsWrong) {
  auto e = RedisEndpoint::parse("127.0.0.1:6380");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 6380);
  EXPECT_FALSE(RedisEndpoint::parse("127.0.0.1").ok());
  EXPECT_FALSE(RedisEndpoint::parse("127.0.0.1:0").ok());
  EXPECT_FALSE(RedisEndpoint::parse("127.0.0.1:70000").ok());
  EXPECT_NE(RedisEndpoint::parse("host:x").error().message.find("port"), std::string::npos);
}

TEST(RedisConnection, CarriesBinaryValuesAndErrorRepliesAreReplies) {
  LocalRedis redis;
  auto c = RedisConnection::open(redis.options());
  ASSERT_TRUE(c.ok()) << c.error().message;
  const std::string value("line one\r\nline two\0after a zero byte", 36);
  ASSERT_TRUE((*c)->command({"SET", "k", value})->is_ok());
  auto got = (*c)->command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->kind, RedisReply::Kind::kString);
  EXPECT_EQ(got->text, value);
  EXPECT_TRUE((*c)->command({"GET", "missing"})->is_nil());
  auto wrong = (*c)->command({"INCR", "k"});
  ASSERT_TRUE(wrong.ok()) << "an error reply is not a transport failure";
  EXPECT_TRUE(wrong->is_error("ERR"));
  EXPECT_FALSE((*c)->broken());
}

TEST(RedisConnection, APipelineIsOneRoundTrip) {
  LocalRedis redis;
  auto c = RedisConnection::open(redis.options());
  ASSERT_TRUE(c.ok());
  const auto before = (*c)->round_trips();
  std::vector<RedisCommand> commands{{"RPUSH", "l", "a"}, {"RPUSH", "l", "b"}, {"LRANGE", "l", "0", "-1"}};
  auto replies = (*c)->pipeline(commands);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[1].integer, 2);
  ASSERT_EQ((*replies)[2].elements.size(), 2u);
  EXPECT_EQ((*replies)[2].elements[1].text, "b");
  EXPECT_EQ((*c)->round_trips() - before, 1u);
}

TEST(RedisConnection, RefusesWrongOrMissingCredentialsWithoutNamingThePassword) {
  LocalRedis redis;
  auto options = redis.options();
  options.credentials->password = "not the password";
  auto wrong = RedisConnection::open(options);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kAuthFailed);
  EXPECT_EQ(wrong.error().message.find("not the password"), std::string::npos);

  options.credentials.reset();
  auto anonymous = RedisConnection::open(options);
  ASSERT_TRUE(anonymous.ok()) << "connecting is allowed; every command is not";
  auto ping = (*anonymous)->command({"PING"});
  ASSERT_TRUE(ping.ok());
  EXPECT_TRUE(ping->is_error("NOAUTH"));
}

TEST(RedisConnection, ATimeoutBreaksTheConnection) {
  LocalRedis redis;
  auto options = redis.options();
  options.timeout = 200ms;
  auto c = RedisConnection::open(options);
  ASSERT_TRUE(c.ok());
  auto blocked = (*c)->command({"BLPOP", "nothing-comes", "5"});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kConnectionFailed);
  EXPECT_TRUE((*c)->broken());
  EXPECT_FALSE((*c)->command({"PING"}).ok());
}

RedisClientOptions client_options(const LocalRedis& redis) {
  RedisClientOptions o;
  o.endpoint = redis.endpoint();
  o.credentials = testing::kTestUser;
  o.timeout = 500ms;
  o.failover_deadline = 5s;
  return o;
}

TEST(RedisClient, ServesManyThreadsFromItsPool) {
  LocalRedis redis;
  RedisClient client(client_options(redis));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < 200; ++i) ASSERT_TRUE(client.command({"INCR", "counter"}).ok());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(client.command({"GET", "counter"})->text, "800");
  EXPECT_EQ(client.round_trips(), 801u);
}

TEST(RedisClient, ReconnectsWhenTheServerComesBack) {
  LocalRedis redis;
  auto options = client_options(redis);
  RedisClient client(options);
  ASSERT_TRUE(client.command({"SET", "k", "1"})->is_ok());
  redis.kill();
  std::thread restart([&redis] {
    std::this_thread::sleep_for(300ms);
    redis.start();
  });
  auto after = client.command({"PING"}, Retry::kIdempotent);
  restart.join();
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->text, "PONG");
}

TEST(RedisClient, ANonIdempotentCommandWhoseReplyIsLostIsNotSentTwice) {
  LocalRedis redis;
  auto options = client_options(redis);
  RedisClient client(options);
  ASSERT_TRUE(client.command({"PING"}).ok());  // a pooled connection to the server that now dies
  redis.kill();
  auto lost = client.command({"INCR", "once"});
  ASSERT_FALSE(lost.ok());
  EXPECT_NE(lost.error().message.find("may or may not have run"), std::string::npos) << lost.error().message;
}

TEST(RedisClient, GivesUpAfterTheFailoverDeadline) {
  LocalRedis redis;
  auto options = client_options(redis);
  options.failover_deadline = 400ms;
  RedisClient client(options);
  redis.kill();
  const auto start = std::chrono::steady_clock::now();
  auto r = client.command({"PING"}, Retry::kIdempotent);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_NE(r.error().message.find("unavailable"), std::string::npos) << r.error().message;
}

TEST(RedisClient, AReplicaIsNotWrittenTo) {
  LocalRedis primary;
  LocalRedis replica(testing::free_loopback_port(), primary.port());
  auto options = client_options(replica);
  options.failover_deadline = 400ms;
  RedisClient client(options);
  auto r = client.command({"SET", "k", "v"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("READONLY"), std::string::npos) << r.error().message;
}

TEST(RedisClient, ASecurityWriteWaitsForAReplica) {
  LocalRedis primary;
  auto options = client_options(primary);
  options.replicas_to_wait_for = 1;
  options.replica_wait = 200ms;
  {
    RedisClient alone(options);
    auto r = alone.replicated(std::vector<std::string_view>{"SET", "k", "v"});
    ASSERT_FALSE(r.ok()) << "no replica: the write must not be acknowledged";
    EXPECT_NE(r.error().message.find("not acknowledged"), std::string::npos);
  }
  LocalRedis replica(testing::free_loopback_port(), primary.port());
  options.replica_wait = 2000ms;
  RedisClient client(options);
  auto r = client.replicated(std::vector<std::string_view>{"SET", "k2", "v2"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->is_ok());
  auto on_replica = RedisConnection::open(replica.options());
  ASSERT_TRUE(on_replica.ok());
  EXPECT_EQ((*on_replica)->command({"GET", "k2"})->text, "v2");
}

}  // namespace
}  // namespace lab::redis
