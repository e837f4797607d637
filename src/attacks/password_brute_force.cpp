// password-brute-force: the attacker guesses the victim's password from a
// dictionary of common ones, each guess from another address (the right one is
// the 15th guess, so a lockout of the account after a few failures stops it).
// Exploited when a guess logged in as the victim.
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
    auto victim_id = victim_identity(t);
    const auto words = dictionary(t, checks_passwords);
    std::map<std::string, int> codes;
    int attempts = 0;
    std::optional<ErrorCode> right_guess_refusal;
    std::unique_ptr<net::ProtocolClient> conn;
    for (std::size_t i = 0; i < words.size(); ++i) {
      // Each guess from another address (127.0.0.10, .11, ...), as a botnet guesses: a budget per address
      // does not see it, only a limit on the account does. Where logins need the agent's certificate, the
      // attacker holds the victim's (stolen with its host): only the password stands between it and the account.
      auto from = t.endpoint;
      from.bind_address = "127.0.0." + std::to_string(10 + i);
      auto c = client::open_connection_as(t.stage, from, victim_id);
      if (!c) return failed("attacker cannot connect from " + *from.bind_address + ": " + c.error().message);
      conn = std::move(*c);
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
      if (checks_passwords && words[i] == victim_id.password) right_guess_refusal = r.error().code;
    }
    std::string seen;
    for (const auto& [code, n] : codes) seen += (seen.empty() ? "" : ", ") + code + " x" + std::to_string(n);
    const bool limited = codes.count("RATE_LIMITED") > 0 || codes.count("ACCOUNT_LOCKED") > 0;
    AttackResult result = blocked(std::to_string(attempts) + " guesses for " + victim_id.agent_id + " (the right one at position " +
                   (checks_passwords ? "15" : "none") + ") did not log in; answers: " + seen +
                   (limited ? " (rate limit / lockout seen)" : ""));
    // The verdict rests on what refused the right guess, when it was refused for more than being wrong.
    if (right_guess_refusal) result.refusal = *right_guess_refusal;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_password_brute_force() { return std::make_unique<PasswordBruteForce>(); }

}  // namespace lab::attacks
