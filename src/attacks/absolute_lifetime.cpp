// absolute-lifetime: a session is kept busy (never idle) past its absolute
// lifetime. Exploited when it still acts as the victim afterwards.
#include <thread>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class AbsoluteLifetime final : public Attack {
 public:
  std::string_view id() const override { return "absolute-lifetime"; }
  std::string_view title() const override { return "Keep a busy session alive past its absolute lifetime"; }
  bool runs_alone() const override { return true; }  // its keep-alive requests must arrive within the idle timeout

  AttackResult run(const Target& t) const override {
    using std::chrono::milliseconds;
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    const std::string token = (*victim)->session_id.value_or("");
    const auto endpoint = endpoint_as(t, victim_id);  // reconnects as the victim, with its own certificate

    const auto start = std::chrono::steady_clock::now();
    const auto until = start + t.settings.absolute_timeout + milliseconds(700);
    const auto step = std::max(milliseconds(50), t.settings.idle_timeout / 3);
    int keepalives = 0;
    std::string first_refusal;
    std::optional<Error> first_error;
    while (std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(step);
      auto info = call_reconnecting(**victim, endpoint, "get_session_info", Json::object());
      if (info) ++keepalives;
      else if (first_refusal.empty()) {
        first_refusal = describe(info.error());
        first_error = info.error();
      }
    }
    auto created = call_reconnecting(**victim, endpoint, "create_project", Json{{"name", "long-lived-" + t.tag}});
    const auto age = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    const std::string when = std::to_string(age.count()) + " ms after login (absolute limit " +
                             std::to_string(t.settings.absolute_timeout.count()) + " ms, " +
                             std::to_string(keepalives) + " keep-alive requests accepted)";
    if (created && created->value("owner", "") == victim_id.agent_id) {
      return exploited(token + " still created " + created->value("id", "") + " as " + victim_id.agent_id + " " +
                       when);
    }
    const std::string seen = first_refusal.empty() ? "" : "; keep-alives first refused with " + first_refusal;
    if (created) return blocked(token + " acted as '" + created->value("owner", "") + "' " + when + seen);
    // The verdict rests on the first refusal: the one that ended the session (a later one only finds it gone).
    return refused(first_error.value_or(created.error()),
                   token + " was refused " + when + ": " + describe(created.error()) + seen);
  }
};

}  // namespace

std::unique_ptr<Attack> make_absolute_lifetime() { return std::make_unique<AbsoluteLifetime>(); }

}  // namespace lab::attacks
