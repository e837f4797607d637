// login-flood: from one address, a burst of logins with wrong passwords, a few
// for each of many accounts (the lab's users and the insider, whose
// certificates an attacker on a shared agent host holds), each account fewer
// times than a lockout allows: every attempt the server answers "invalid
// credentials" cost it a password hash (bcrypt, Argon2id). Exploited when the
// server hashed (or, without passwords, served) every attempt of the burst;
// blocked when it refused the flood with RATE_LIMITED before hashing.
#include <cstdio>
#include <map>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

// Below the five failures in a row that lock an account (stage 3): a lockout is not what this attack meets.
constexpr int kTriesPerAccount = 4;
// A bound on the whole burst, far above what it takes even on a loaded machine.
constexpr auto kBurstDeadline = std::chrono::seconds(60);

struct Tally {
  int attempts = 0;
  int served = 0;     // logged in: a stage that checks no password
  int hashed = 0;     // AUTH_FAILED: the password was hashed and did not match
  int throttled = 0;  // RATE_LIMITED
  std::map<std::string, int> other;  // any other answer, by code
  std::optional<Error> first_other;
};

class LoginFlood final : public Attack {
 public:
  std::string_view id() const override { return "login-flood"; }
  std::string_view title() const override { return "Flood the password hashing with logins from one address"; }
  bool runs_alone() const override { return true; }  // dozens of deliberately slow password hashes

  AttackResult run(const Target& t) const override {
    const auto holders = client::lab_certificate_holders();
    const int planned = static_cast<int>(holders.size()) * kTriesPerAccount;
    Tally tally;
    const auto started = std::chrono::steady_clock::now();
    for (const auto& holder : holders) {
      auto who = lab_user_identity(t, "flood-" + holder, holder, Role::kWorker);
      who.claims_role = false;
      auto conn = client::open_connection_as(t.stage, t.endpoint, who);
      if (!conn) return failed("cannot connect as " + who.agent_id + ": " + conn.error().message);
      for (int i = 0; i < kTriesPerAccount; ++i) {
        if (std::chrono::steady_clock::now() - started > kBurstDeadline) {
          return failed("no verdict: the burst of " + std::to_string(planned) + " logins did not finish within " +
                        std::to_string(kBurstDeadline.count()) + " s (" + std::to_string(tally.attempts) + " sent)");
        }
        who.password = "not-the-password-" + std::to_string(i) + "-" + t.tag;
        auto login = client::login(**conn, t.stage, who);
        ++tally.attempts;
        if (login) {
          ++tally.served;
        } else if (login.error().code == ErrorCode::kConnectionFailed) {
          return failed("no verdict: the connection failed during the burst: " + login.error().message);
        } else if (login.error().code == ErrorCode::kAuthFailed) {
          ++tally.hashed;
        } else if (login.error().code == ErrorCode::kRateLimited) {
          ++tally.throttled;
        } else {
          ++tally.other[std::string(lab::to_string(login.error().code))];
          if (!tally.first_other) tally.first_other = login.error();
        }
      }
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return verdict(tally, holders.size(), seconds);
  }

 private:
  static AttackResult verdict(const Tally& n, std::size_t accounts, double seconds) {
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", seconds);
    std::string what = std::to_string(n.attempts) + " logins from one address for " + std::to_string(accounts) +
                       " accounts, each with a wrong password (" + std::to_string(kTriesPerAccount) +
                       " per account, fewer than a lockout needs), in " + took + ": ";
    std::string counts = std::to_string(n.hashed) + " answered AUTH_FAILED (a password hash each)";
    if (n.served > 0) counts += ", " + std::to_string(n.served) + " logged in (no password checked)";
    if (n.throttled > 0) counts += ", " + std::to_string(n.throttled) + " refused RATE_LIMITED before any hashing";
    for (const auto& [code, count] : n.other) counts += ", " + std::to_string(count) + " refused " + code;
    if (n.throttled > 0) {
      AttackResult result = blocked(what + counts);
      result.refusal = ErrorCode::kRateLimited;
      return result;
    }
    if (n.first_other) return refused(*n.first_other, what + counts);
    if (n.served == n.attempts) {
      return exploited(what + "the stage checks no password, and served every one of them (each a new session); "
                              "nothing limited the burst");
    }
    return exploited(what + counts + ": the server spent a password hash on every attempt, none was limited");
  }
};

}  // namespace

std::unique_ptr<Attack> make_login_flood() { return std::make_unique<LoginFlood>(); }

}  // namespace lab::attacks
