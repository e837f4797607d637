// idle-expiry: a session is left unused for longer than the idle timeout, then
// its captured token is used again. Exploited when it still acts as the victim.
#include <thread>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class IdleExpiry final : public Attack {
 public:
  std::string_view id() const override { return "idle-expiry"; }
  std::string_view title() const override { return "Use a session after its idle timeout"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    const std::string token = (*victim)->session_id.value_or("");
    const auto endpoint = endpoint_as(t, victim_id);  // reconnects as the victim, with its own certificate

    const auto idle = t.settings.idle_timeout + std::chrono::milliseconds(700);
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(idle);
    auto created = call_reconnecting(**victim, endpoint, "create_project", Json{{"name", "after-idle-" + t.tag}});
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    const std::string after = std::to_string(waited.count()) + " ms without traffic (idle timeout " +
                              std::to_string(t.settings.idle_timeout.count()) + " ms)";
    if (created && created->value("owner", "") == victim_id.agent_id) {
      return exploited("after " + after + ", " + token + " still created " + created->value("id", "") +
                       " as " + victim_id.agent_id);
    }
    if (created) return blocked("after " + after + ", " + token + " acted as '" + created->value("owner", "") + "'");
    return refused(created.error(), "after " + after + ", " + token + " was refused: " + describe(created.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_idle_expiry() { return std::make_unique<IdleExpiry>(); }

}  // namespace lab::attacks
