// Account lockout after repeated failed logins.
#include "security/login_lockout.h"

#include <gtest/gtest.h>

namespace lab::security {
namespace {

using namespace std::chrono_literals;

TEST(LoginLockout, FiveFailuresInARowLockTheAccountForItsLockTime) {
  ManualClock clock;
  LoginLockout lockout(clock, {.max_failures = 5, .lock_for = 900s});
  for (int i = 0; i < 4; ++i) lockout.record_failure("carol");
  EXPECT_FALSE(lockout.locked_for("carol")) << "four failures are not yet a lock";
  lockout.record_failure("carol");
  ASSERT_TRUE(lockout.locked_for("carol"));
  EXPECT_EQ(*lockout.locked_for("carol"), 900s);
  clock.advance(899s);
  EXPECT_TRUE(lockout.locked_for("carol"));
  clock.advance(1s);
  EXPECT_FALSE(lockout.locked_for("carol"));
}

TEST(LoginLockout, ASuccessResetsTheCountAndAccountsAreSeparate) {
  ManualClock clock;
  LoginLockout lockout(clock, {.max_failures = 3});
  lockout.record_failure("a");
  lockout.record_failure("a");
  lockout.record_success("a");
  lockout.record_failure("a");
  lockout.record_failure("a");
  EXPECT_FALSE(lockout.locked_for("a"));
  for (int i = 0; i < 3; ++i) lockout.record_failure("b");
  EXPECT_TRUE(lockout.locked_for("b"));
  EXPECT_FALSE(lockout.locked_for("a"));
}

TEST(LoginLockout, AfterALockExpiresTheCountStartsAgain) {
  ManualClock clock;
  LoginLockout lockout(clock, {.max_failures = 2, .lock_for = 10s});
  lockout.record_failure("a");
  lockout.record_failure("a");
  clock.advance(11s);
  lockout.record_failure("a");
  EXPECT_FALSE(lockout.locked_for("a")) << "one failure after the lock lifted is one, not three";
}

TEST(LoginLockout, NamesThatDoNotExistAreCountedTooAndTheTableIsBounded) {
  ManualClock clock;
  LoginLockout lockout(clock, {.max_failures = 1, .lock_for = 1s, .max_accounts = 10});
  for (int i = 0; i < 100; ++i) {
    clock.advance(2s);  // each earlier lock has lifted, so it may be dropped for room
    lockout.record_failure("name-" + std::to_string(i));
  }
  EXPECT_TRUE(lockout.locked_for("name-99"));
}

}  // namespace
}  // namespace lab::security
