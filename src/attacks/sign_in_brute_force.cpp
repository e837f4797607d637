// sign-in-brute-force (stage 5): the attacker guesses alice's password on the dashboard's sign-in, each guess from
// another address (127.0.0.10, .11, ...), as a botnet does; the right password is the 15th guess, so a lockout of
// the account after a few failures stops it where a budget per address does not. Exploited when a guess signed in
// as alice.
#include <map>

#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"
#include "client/client_profile.h"

namespace lab::attacks {
namespace {

class SignInBruteForce final : public Attack {
 public:
  std::string_view id() const override { return "sign-in-brute-force"; }
  std::string_view title() const override { return "Guess a password on the web sign-in"; }

  AttackResult run(const Target& t) const override {
    std::vector<std::string> words = {"letmein", "123456", "password", "qwerty",  "admin",  "welcome",  "monkey",
                                      "dragon",  "iloveyou", "abc123", "111111", "sunshine", "princess", "football",
                                      client::lab_password("alice"), "master", "shadow"};
    std::map<std::string, int> answers;
    std::optional<ErrorCode> right_guess_refusal;
    for (std::size_t i = 0; i < words.size(); ++i) {
      web::BrowserClient guesser(web_endpoint(t, "127.0.0." + std::to_string(10 + i)));
      auto r = guesser.sign_in("alice", words[i]);
      if (!r) return failed("no verdict: guess " + std::to_string(i + 1) + " failed: " + r.error().message);
      if (r->status == 200) {
        auto me = guesser.request("GET", "/api/session");
        if (me && me->status == 200 && Json::parse(me->body, nullptr, false).value("agent_id", "") == "alice") {
          return exploited("signed in as alice with the guessed password '" + words[i] + "' (guess " +
                           std::to_string(i + 1) + ", from 127.0.0." + std::to_string(10 + i) +
                           ") and read her session");
        }
      }
      const auto code = refusal_in(*r);
      ++answers[code ? std::string(to_string(*code)) : std::to_string(r->status)];
      if (words[i] == client::lab_password("alice")) right_guess_refusal = code;
    }
    std::string seen;
    for (const auto& [code, n] : answers) seen += (seen.empty() ? "" : ", ") + code + " x" + std::to_string(n);
    AttackResult result = blocked(std::to_string(words.size()) +
                                  " guesses for alice (the right one at position 15) did not sign in; answers: " + seen);
    if (right_guess_refusal) result.refusal = *right_guess_refusal;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_sign_in_brute_force() { return std::make_unique<SignInBruteForce>(); }

}  // namespace lab::attacks
