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

// What the agent index must get right: an agent's sessions after any of them (first, middle, last) went, after a
// replacement moved one to another agent, and after a restore-like clear.
TEST_P(SessionStoreContract, SessionsOfAgentFollowEveryInsertEraseAndReplacement) {
  const auto ids_of = [&](const std::string& agent) {
    std::vector<std::string> ids;
    for (const auto& s : sessions_.sessions_of_agent(agent)) ids.push_back(s.id);
    return ids;
  };
  for (const char* id : {"a1", "a2", "a3", "a4"}) ASSERT_TRUE(sessions_.insert(session(id, "alice")));
  ASSERT_TRUE(sessions_.insert(session("b1", "bob")));
  ASSERT_TRUE(sessions_.erase("a4"));  // the newest
  ASSERT_TRUE(sessions_.erase("a1"));  // the oldest
  EXPECT_THAT(ids_of("alice"), ::testing::UnorderedElementsAre("a2", "a3"));
  sessions_.put(session("a2", "bob"));  // the same id, now another agent's
  EXPECT_THAT(ids_of("alice"), ::testing::UnorderedElementsAre("a3"));
  EXPECT_THAT(ids_of("bob"), ::testing::UnorderedElementsAre("a2", "b1"));
  EXPECT_EQ(sessions_.erase_if([](const SessionRecord& s) { return s.agent_id == "bob"; }), 2u);
  EXPECT_TRUE(ids_of("bob").empty());
  ASSERT_TRUE(sessions_.erase("a3"));
  EXPECT_TRUE(ids_of("alice").empty());
  ASSERT_TRUE(sessions_.insert(session("a5", "alice")));
  EXPECT_THAT(ids_of("alice"), ::testing::UnorderedElementsAre("a5"));
}

// One agent's sessions with different bindings (another address: a migrated session): removing them in any order
// keeps the agent's list, whose first session changes with them.
TEST_P(SessionStoreContract, AnAgentsSessionsWithDifferentBindingsComeAndGoInAnyOrder) {
  SessionRecord moved = session("a0", "alice");
  moved.client_address = "127.0.0.9";
  ASSERT_TRUE(sessions_.insert(moved));  // the agent's first session, with a binding of its own
  ASSERT_TRUE(sessions_.insert(session("a1", "alice")));
  ASSERT_TRUE(sessions_.erase("a0"));  // its binding goes with it
  EXPECT_EQ(sessions_.sessions_of_agent("alice").size(), 1u);
  ASSERT_TRUE(sessions_.insert(moved));
  ASSERT_TRUE(sessions_.insert(session("a2", "alice")));
  ASSERT_TRUE(sessions_.erase("a2"));
  ASSERT_TRUE(sessions_.erase("a1"));
  ASSERT_EQ(sessions_.sessions_of_agent("alice").size(), 1u);
  EXPECT_EQ(sessions_.sessions_of_agent("alice")[0].client_address, "127.0.0.9");
  ASSERT_TRUE(sessions_.erase("a0"));
  EXPECT_TRUE(sessions_.sessions_of_agent("alice").empty());
  EXPECT_EQ(sessions_.set_role_of_agent("alice", Role::kAdmin), 0u);
}

// The per-request path of a stage that stores ids hashed: found and touched by the hash's bytes, the same session
// as by its hex.
TEST_P(SessionStoreContract, SummaryAndTouchByHashSeeTheSessionStoredUnderItsHex) {
  const auto token = security::SessionToken::generate();
  const auto hash = token.hash();
  SessionRecord s = session(hash.to_hex(), "alice", Role::kCoordinator);
  s.tls_fingerprint = std::string(64, 'f');
  s.client_name = "lab-agent/1.0";
  ASSERT_TRUE(sessions_.insert(s));
  const auto summary = sessions_.summary(hash);
  ASSERT_TRUE(summary.has_value());
  ASSERT_NE(summary->binding, nullptr);
  EXPECT_EQ(*summary->binding, (SessionBinding{"alice", "127.0.0.1", std::string(64, 'f'), "lab-agent/1.0"}));
  EXPECT_EQ(summary->role, Role::kCoordinator);
  EXPECT_EQ(summary->created_ms, 1'000);
  EXPECT_TRUE(sessions_.touch_hashed(hash, 9'000));
  EXPECT_EQ(sessions_.find(hash.to_hex())->last_seen_ms, 9'000);
  const auto other = security::SessionToken::generate().hash();
  EXPECT_FALSE(sessions_.summary(other).has_value());
  EXPECT_FALSE(sessions_.touch_hashed(other, 9'000));
  ASSERT_TRUE(sessions_.erase(hash.to_hex()));
  EXPECT_FALSE(sessions_.summary(hash).has_value());
}

// Stage 2's per-request path: a session stored under the id it was issued, with the key it shares with its client.
TEST_P(SessionStoreContract, SummaryOfAnIdCarriesTheBindingTimesRoleAndSigningKey) {
  SessionRecord s = session("0b7e3c1a-5d2f-4e6a-9c8b-1f2e3d4c5b6a", "alice", Role::kCoordinator);
  s.signing_key = security::Key256::random();
  ASSERT_TRUE(sessions_.insert(s));
  ASSERT_TRUE(sessions_.insert(session("keyless", "bob")));
  const auto summary = sessions_.summary_of_id(s.id);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(*summary->binding, (SessionBinding{"alice", "127.0.0.1", "", ""}));
  EXPECT_EQ(summary->role, Role::kCoordinator);
  EXPECT_EQ(summary->last_seen_ms, 1'000);
  ASSERT_TRUE(summary->signing_key.has_value());
  EXPECT_TRUE(*summary->signing_key == *s.signing_key);
  EXPECT_FALSE(sessions_.summary_of_id("keyless")->signing_key.has_value());
  EXPECT_TRUE(sessions_.touch(s.id, 7'000));
  EXPECT_EQ(sessions_.summary_of_id(s.id)->last_seen_ms, 7'000);
  EXPECT_FALSE(sessions_.summary_of_id("0b7e3c1a-5d2f-4e6a-9c8b-1f2e3d4c5b6b").has_value());
  ASSERT_TRUE(sessions_.erase(s.id));
  EXPECT_FALSE(sessions_.summary_of_id(s.id).has_value());
}

// Sessions with the same bindings share them; a summary handed out stays valid after its session is gone.
TEST_P(SessionStoreContract, ASummaryOutlivesItsSession) {
  const auto hash = security::SessionToken::generate().hash();
  ASSERT_TRUE(sessions_.insert(session(hash.to_hex(), "alice")));
  auto summary = sessions_.summary(hash);
  ASSERT_TRUE(summary.has_value());
  ASSERT_TRUE(sessions_.erase(hash.to_hex()));
  ASSERT_TRUE(sessions_.insert(session("other", "bob")));
  EXPECT_EQ(summary->binding->agent_id, "alice");
  EXPECT_EQ(summary->binding->client_address, "127.0.0.1");
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionStoreContract, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store
