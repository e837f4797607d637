// eavesdrop-plaintext: a relay between the victim and the coordinator records
// the traffic. Exploited when the victim's secret and session id can be read
// from the recorded bytes.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class EavesdropPlaintext final : public Attack {
 public:
  std::string_view id() const override { return "eavesdrop-plaintext"; }
  std::string_view title() const override { return "Eavesdrop on plaintext agent traffic"; }

  AttackResult run(const Target& t) const override {
    auto relayed = victim_through_relay(t);
    if (!relayed) return failed(relayed.error().message);
    auto& relay = relayed->relay;
    auto& victim = relayed->client;
    const auto& via = relayed->via;
    const std::string secret = "acquisition target " + t.tag;
    auto project = victim->call("create_project", Json{{"name", "wire-" + t.tag}, {"description", secret}});
    if (!project) return failed("victim cannot create a project through the relay: " + project.error().message);
    const std::string token = victim->session_id.value_or("");
    victim.reset();
    relay->stop();

    const std::string up = relay->client_to_server();
    const std::string down = relay->server_to_client();
    const auto seen = [&](const std::string& needle) {
      return !needle.empty() && (up.find(needle) != std::string::npos || down.find(needle) != std::string::npos);
    };
    const bool secret_seen = seen(secret), token_seen = seen('"' + token + '"');
    const std::string captured = std::to_string(up.size()) + " bytes to and " + std::to_string(down.size()) +
                                 " bytes from the coordinator captured on " + via.host + ":" + std::to_string(via.port);
    if (secret_seen && token_seen) {
      return exploited(captured + " contain the session id " + token + " and the secret '" + secret +
                       "' in cleartext");
    }
    if (secret_seen || token_seen) {
      return exploited(captured + " contain " + (token_seen ? "the session id " + token : "the secret '" + secret + "'") +
                       " in cleartext");
    }
    return blocked(captured + " contain neither the session id nor the secret (the traffic is not plaintext)");
  }
};

}  // namespace

std::unique_ptr<Attack> make_eavesdrop_plaintext() { return std::make_unique<EavesdropPlaintext>(); }

}  // namespace lab::attacks
