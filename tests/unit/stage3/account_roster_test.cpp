// Stage 3's accounts: Argon2id over the whole password, the same answer for an
// unknown name, and rehash on login when the parameters were raised.
#include <gtest/gtest.h>

#include <string>

#include "security/argon2_password.h"
#include "stage3_secure/account_roster.h"

namespace lab::stage3 {
namespace {

const security::Argon2Params kLow{.passes = 1, .memory_bytes = 64 * 1024};
const security::Argon2Params kRaised{.passes = 2, .memory_bytes = 128 * 1024};

std::string roster_json(const std::string& stored_hash) {
  return R"({"users": [{"agent_id": "alice", "password": "alice-wonderland-2026", "role": "coordinator"},
                       {"agent_id": "bob", "password_hash": ")" +
         stored_hash + R"(", "role": "worker"}]})";
}

TEST(AccountRoster, TheRightPasswordGivesTheAccountsRoleAndNothingElseDoes) {
  auto roster = AccountRoster::from_json(roster_json(*security::argon2id_hash("password1", kLow)), kLow);
  ASSERT_TRUE(roster.ok()) << roster.error().message;
  EXPECT_EQ(roster->verify("alice", "alice-wonderland-2026"), Role::kCoordinator);
  EXPECT_EQ(roster->verify("alice", "alice-wonderland-2027"), std::nullopt);
  EXPECT_EQ(roster->verify("alice", std::string("alice-wonderland-2026\0tail", 26)), std::nullopt)
      << "the whole password counts, past a NUL";
  EXPECT_EQ(roster->verify("nobody", "alice-wonderland-2026"), std::nullopt);
  EXPECT_EQ(roster->verify("bob", "password1"), Role::kWorker) << "a stored hash is taken as it is";
}

TEST(AccountRoster, ALoginAgainstAHashWithOlderParametersRehashesItWithTheCurrentOnes) {
  const std::string old_hash = *security::argon2id_hash("password1", kLow);
  auto roster = AccountRoster::from_json(roster_json(old_hash), kRaised);
  ASSERT_TRUE(roster.ok()) << roster.error().message;
  ASSERT_TRUE(security::argon2id_needs_rehash(*roster->password_hash("bob"), kRaised));

  EXPECT_EQ(roster->verify("bob", "wrong"), std::nullopt);
  EXPECT_EQ(roster->password_hash("bob"), old_hash) << "a failed login changes nothing";

  EXPECT_EQ(roster->verify("bob", "password1"), Role::kWorker);
  const std::string now = *roster->password_hash("bob");
  EXPECT_NE(now, old_hash);
  EXPECT_FALSE(security::argon2id_needs_rehash(now, kRaised)) << now;
  EXPECT_NE(now.find("m=128"), std::string::npos) << now;
  EXPECT_EQ(roster->verify("bob", "password1"), Role::kWorker) << "the new hash verifies the same password";
}

}  // namespace
}  // namespace lab::stage3
