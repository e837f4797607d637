// The SessionStore contract: records in, records out, nothing decided. Runs
// against every implementation in store_implementations().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/store/store_implementations.h"

namespace lab::store {
namespace {

SessionRecord session(const std::string& id, const std::string& agent, Role role = Role::kWorker) {
  SessionRecord s;
  s.id = id;
  s.agent_id = agent;
  s.role = role;
  s.created_ms = s.last_seen_ms = 1'000;
  s.client_address = "127.0.0.1";
  return s;
}

class SessionStoreContract : public ::testing::TestWithParam<testing::StoreImplementation> {
 protected:
  std::shared_ptr<StoreSet> stores_ = GetParam().make();
  SessionStore& sessions_ = stores_->sessions();
};

TEST_P(SessionStoreContract, InsertedSessionsAreFoundWithEveryField) {
  SessionRecord s = session("s1", "alice", Role::kCoordinator);
  s.signing_key = security::Key256::random();
  ASSERT_TRUE(sessions_.insert(s));
  const auto found = sessions_.find("s1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->agent_id, "alice");
  EXPECT_EQ(found->role, Role::kCoordinator);
  EXPECT_EQ(found->created_ms, 1'000);
  EXPECT_EQ(found->client_address, "127.0.0.1");
  ASSERT_TRUE(found->signing_key.has_value());
  EXPECT_TRUE(*found->signing_key == *s.signing_key);
  EXPECT_FALSE(sessions_.find("s2").has_value());
}

TEST_P(SessionStoreContract, InsertNeverReplacesALiveSession) {
  ASSERT_TRUE(sessions_.insert(session("s1", "alice")));
  EXPECT_FALSE(sessions_.insert(session("s1", "mallory")));
  EXPECT_EQ(sessions_.find("s1")->agent_id, "alice");
  EXPECT_EQ(sessions_.size(), 1u);
}

TEST_P(SessionStoreContract, PutAddsOrReplaces) {
  sessions_.put(session("s1", "alice"));
  SessionRecord ended = session("s1", "alice");
  ended.ended = true;
  sessions_.put(ended);
  EXPECT_TRUE(sessions_.find("s1")->ended);
  EXPECT_EQ(sessions_.size(), 1u);
}

TEST_P(SessionStoreContract, TouchRecordsActivityOfKnownSessionsOnly) {
  ASSERT_TRUE(sessions_.insert(session("s1", "alice")));
  EXPECT_TRUE(sessions_.touch("s1", 5'000));
  EXPECT_EQ(sessions_.find("s1")->last_seen_ms, 5'000);
  EXPECT_FALSE(sessions_.touch("nope", 5'000));
  EXPECT_FALSE(sessions_.find("nope").has_value()) << "a touch never creates a session";
}

TEST_P(SessionStoreContract, EraseAndEraseIfRemoveExactlyWhatTheySay) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(sessions_.insert(session("s" + std::to_string(i), "a")));
  EXPECT_TRUE(sessions_.erase("s0"));
  EXPECT_FALSE(sessions_.erase("s0"));
  ASSERT_TRUE(sessions_.touch("s5", 9'000));
  EXPECT_EQ(sessions_.erase_if([](const SessionRecord& s) { return s.last_seen_ms < 5'000; }), 4u);
  EXPECT_EQ(sessions_.size(), 1u);
  EXPECT_TRUE(sessions_.find("s5").has_value());
}

TEST_P(SessionStoreContract, SetRoleOfAgentChangesEverySessionOfThatAgentOnly) {
  ASSERT_TRUE(sessions_.insert(session("a1", "alice", Role::kAdmin)));
  ASSERT_TRUE(sessions_.insert(session("a2", "alice", Role::kAdmin)));
  ASSERT_TRUE(sessions_.insert(session("b1", "bob", Role::kAdmin)));
  EXPECT_EQ(sessions_.set_role_of_agent("alice", Role::kWorker), 2u);
  EXPECT_EQ(sessions_.find("a1")->role, Role::kWorker);
  EXPECT_EQ(sessions_.find("a2")->role, Role::kWorker);
  EXPECT_EQ(sessions_.find("b1")->role, Role::kAdmin);
  EXPECT_EQ(sessions_.sessions_of_agent("alice").size(), 2u);
  EXPECT_TRUE(sessions_.sessions_of_agent("carol").empty());
}

TEST_P(SessionStoreContract, AllListsEverySessionOnce) {
  EXPECT_TRUE(sessions_.all().empty());
  ASSERT_TRUE(sessions_.insert(session("a1", "alice", Role::kAdmin)));
  ASSERT_TRUE(sessions_.insert(session("b1", "bob", Role::kWorker)));
  ASSERT_TRUE(sessions_.insert(session(std::string(64, 'c'), "carol", Role::kObserver)));  // a stored hash
  std::vector<std::string> ids;
  for (const auto& s : sessions_.all()) ids.push_back(s.id + "/" + s.agent_id);
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre("a1/alice", "b1/bob", std::string(64, 'c') + "/carol"));
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionStoreContract, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store
