// password-brute-force: the attacker guesses the victim's password from a
// dictionary of common ones (the right one is the 15th guess, so a lockout
// after a few failures stops it). Exploited when a guess logged in as the victim.
#include <map>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

std::vector<std::string> dictionary(const Target& t, bool checks_passwords) {
  std::vector<std::string> words = {"letmein", "123456",   "password", "qwerty",  "admin",
                                    "welcome", "monkey",   "dragon",   "iloveyou", "abc123",
                                    "111111",  "sunshine", "princess", "football"};
  if (checks_passwords) words.push_back(victim_identity(t).password);  // position 15
  for (const char* w : {"master", "shadow", "trustno1", "baseball", "superman", "654321"}) words.emplace_back(w);
  return words;
}

class PasswordBruteForce final : public Attack {
 public:
  std::string_view id() const override { return "password-brute-force"; }
  std::string_view title() const override { return "Guess an agent's password without lockout"; }

  AttackResult run(const Target& t) const override {
    const bool checks_passwords = client::profile_for(t.stage).checks_passwords();
    const auto victim_id = victim_identity(t);
    const auto words = dictionary(t, checks_passwords);
    std::map<std::string, int> codes;
    int attempts = 0;
    std::unique_ptr<net::ProtocolClient> conn;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (!conn || !conn->line().is_connected()) {
        auto c = client::open_connection(from_other_host(t));
        if (!c) return failed("attacker cannot connect: " + c.error().message);
        conn = std::move(*c);
      }
      ++attempts;
      client::Identity guess = victim_id;
      guess.password = words[i];
      auto r = client::login(*conn, t.stage, guess);
      if (r) {
        auto info = conn->call("get_session_info");
        if (info && info->value("agent_id", "") == victim_id.agent_id) {
          return exploited("logged in as " + victim_id.agent_id + " with the guessed password '" + words[i] +
                           "' (guess " + std::to_string(attempts) +
                           (checks_passwords ? "" : "; the server asked for no password at all") + "), session " +
                           conn->session_id.value_or("") +
                           " with role " + info->value("role", "?"));
        }
        ++codes["login ok, session not the victim's"];
        continue;
      }
      ++codes[std::string(lab::to_string(r.error().code))];
      if (r.error().code == ErrorCode::kConnectionFailed) conn.reset();
    }
    std::string seen;
    for (const auto& [code, n] : codes) seen += (seen.empty() ? "" : ", ") + code + " x" + std::to_string(n);
    const bool limited = codes.count("RATE_LIMITED") > 0;
    return blocked(std::to_string(attempts) + " guesses for " + victim_id.agent_id + " (the right one at position " +
                   (checks_passwords ? "15" : "none") + ") did not log in; answers: " + seen +
                   (limited ? " (rate limit / lockout seen)" : ""));
  }
};

}  // namespace

std::unique_ptr<Attack> make_password_brute_force() { return std::make_unique<PasswordBruteForce>(); }

}  // namespace lab::attacks
