// tamper-signed-request: the attacker takes the victim's final (signed, in
// later stages) create_project line, changes the description and sends it on the
// victim's own connection.
// Exploited when the server applied the changed request as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class TamperSignedRequest final : public Attack {
 public:
  std::string_view id() const override { return "tamper-signed-request"; }
  std::string_view title() const override { return "Alter a signed request in transit"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);

    const std::string benign = "benign-" + t.tag;
    const std::string tampered = "tampered-" + t.tag;
    const Json request = prepared_request(**victim, "create_project",
                                          Json{{"name", "tamper-" + t.tag}, {"description", benign}});
    std::string line = request.dump();
    const auto at = line.find('"' + benign + '"');
    if (at == std::string::npos) return failed("the victim's request line does not contain its description");
    line.replace(at + 1, benign.size(), tampered);

    // Sent on the victim's own connection, as anything on its path that forwards its traffic could (a relay on a
    // plaintext stage, a TLS-terminating proxy on a TLS one): only a check of the request itself can tell.
    auto sent = send_line_for_response(**victim, line);
    if (!sent) return failed("no answer to the tampered line: " + sent.error().message);
    const bool accepted = sent->value("status", "") == "ok";

    auto projects = (*victim)->call("list_projects");
    if (!projects) return failed("victim cannot list projects: " + projects.error().message);
    for (const auto& p : projects->value("projects", Json::array())) {
      if (p.value("description", "") == tampered && p.value("owner", "") == victim_id.agent_id) {
        return exploited("the victim's create_project line with its description changed from '" + benign +
                         "' to '" + tampered + "' (signature untouched) was applied: " + p.value("id", "") +
                         " owned by " + victim_id.agent_id);
      }
    }
    if (accepted) return blocked("the tampered line was answered ok, but no project of the victim has '" + tampered + "'");
    const Error refusal = net::error_from_response(*sent);
    return refused(refusal, "the tampered line was refused: " + describe(refusal));
  }
};

}  // namespace

std::unique_ptr<Attack> make_tamper_signed_request() { return std::make_unique<TamperSignedRequest>(); }

}  // namespace lab::attacks
