// password-truncation: the attacker logs in with passwords that are not the
// user's but share what a C-string, 72-byte password hash reads of it: bob's
// password followed by a NUL and anything, and the first 72 bytes of dana's
// 80-byte passphrase followed by something else. Exploited when a login with
// a password the user never set opened a session as that user.
#include <string>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

using namespace std::string_literals;

class PasswordTruncation final : public Attack {
 public:
  std::string_view id() const override { return "password-truncation"; }
  std::string_view title() const override { return "Log in with a different password that hashes the same"; }

  AttackResult run(const Target& t) const override {
    struct Try {
      std::string user;
      std::string password;
      std::string how;
    };
    const std::string bob = client::lab_password("bob");
    const std::string dana = client::lab_password("dana");
    if (bob.empty() || dana.size() <= 72) return failed("the lab users bob and dana (passphrase > 72 bytes) are missing");
    const Try tries[] = {
        {"bob", bob + "\0-and-anything-after-a-NUL"s, "bob's password, a NUL, then other bytes"},
        {"dana", dana.substr(0, 72) + "-not-her-passphrase", "the first 72 bytes of dana's passphrase, then other bytes"},
    };
    std::string worked, refusals;
    for (const auto& attempt : tries) {
      // Where logins need the agent's certificate, the attacker holds it (stolen with the host): only the
      // password stands between it and the account.
      client::Identity who{attempt.user, Role::kWorker, attempt.password};
      auto conn = client::open_connection_as(t.stage, from_other_host(t), who);
      if (!conn) return failed("attacker cannot connect: " + conn.error().message);
      auto r = client::login(**conn, t.stage, who);
      auto info = r ? (*conn)->call("get_session_info") : Result<Json>(r.error());
      if (info && info->value("agent_id", "") == attempt.user) {
        worked += (worked.empty() ? "" : "; ") + attempt.how + " (" + std::to_string(attempt.password.size()) +
                  " bytes, not the password) opened session " + (*conn)->session_id.value_or("?") + " as " +
                  attempt.user;
      } else if (info.error().code == ErrorCode::kConnectionFailed) {
        return failed("no verdict, the connection failed: " + describe(info.error()));
      } else {
        refusals += (refusals.empty() ? "" : "; ") + attempt.how + ": " + describe(info.error());
      }
    }
    if (!worked.empty()) return exploited(worked + (refusals.empty() ? "" : "; refused: " + refusals));
    return blocked("every password that only shares a prefix with the real one was refused: " + refusals);
  }
};

}  // namespace

std::unique_ptr<Attack> make_password_truncation() { return std::make_unique<PasswordTruncation>(); }

}  // namespace lab::attacks
