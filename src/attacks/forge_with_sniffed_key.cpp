// forge-with-sniffed-key: an on-path attacker reads the victim's login
// response (session id and, where the stage has one, its signing key) and
// signs a request of its own. Exploited when that request runs as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "core/clock.h"
#include "security/request_signature.h"

namespace lab::attacks {
namespace {

// The data of the first login response found in the captured server bytes.
Json sniffed_login(const std::string& server_to_client) {
  std::size_t start = 0;
  while (start < server_to_client.size()) {
    const auto end = server_to_client.find('\n', start);
    const Json msg = Json::parse(server_to_client.substr(start, end - start), nullptr, false);
    if (!msg.is_discarded() && msg.is_object() && msg.value("status", "") == "ok" && msg.contains("data") &&
        msg["data"].is_object() && msg["data"].contains("session_id")) {
      return msg["data"];
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return nullptr;
}

class ForgeWithSniffedKey final : public Attack {
 public:
  std::string_view id() const override { return "forge-with-sniffed-key"; }
  std::string_view title() const override { return "Forge requests with a key read off the wire"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = victim_through_relay(t);
    if (!victim) return failed(victim.error().message);
    const Json login = sniffed_login(victim->relay->server_to_client());
    victim->relay->stop();
    if (login.is_null()) return blocked("no login response could be read from the captured traffic");

    const std::string session = login.value("session_id", "");
    const std::string key = login.value("signing_key", "");
    auto response = create_project_with(t, {session, key, login.value("agent_id", victim_id.agent_id)}, "forged-" + t.tag);
    if (!response) return failed("attacker cannot send its request: " + response.error().message);
    const std::string what = key.empty() ? "the session id" : "the session id and signing key";
    if (response->value("status", "") == "ok" && response->value("data", Json::object()).value("owner", "") == victim_id.agent_id) {
      return exploited(what + " read off the wire let the attacker sign its own create_project, which ran as " +
                       victim_id.agent_id + " (" + response->value("data", Json::object()).value("id", "") + ")");
    }
    return blocked("the forged request with " + what + " read off the wire was refused: " +
                   describe(net::error_from_response(*response)));
  }
};

}  // namespace

std::unique_ptr<Attack> make_forge_with_sniffed_key() { return std::make_unique<ForgeWithSniffedKey>(); }

}  // namespace lab::attacks
