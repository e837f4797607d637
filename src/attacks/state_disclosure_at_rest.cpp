// state-disclosure-at-rest: a host-level attacker reads the coordinator's
// stored state. Exploited when the victim's secret project data or its live
// session id is there in plain bytes.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class StateDisclosureAtRest final : public Attack {
 public:
  std::string_view id() const override { return "state-disclosure-at-rest"; }
  std::string_view title() const override { return "Read live session ids from the state at rest"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab");
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    const std::string secret = "merger terms " + t.tag;
    auto project = (*victim)->call("create_project", Json{{"name", "secret-" + t.tag}, {"description", secret}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string token = (*victim)->session_id.value_or("");
    const std::string quoted_token = '"' + token + '"';  // the whole id, not a prefix of a longer one

    const auto dir = t.control->state_dir();
    const auto hits = wait_for_files_containing(dir, {secret, quoted_token}, std::chrono::milliseconds(3000));
    if (hits.empty()) {
      return blocked("within 3 s no file under " + dir.string() +
                     " contained the victim's secret description or its session id in plain bytes");
    }
    std::string found;
    bool token_found = false;
    for (const auto& h : hits) {
      const bool is_token = h.needle == quoted_token;
      token_found |= is_token;
      found += (found.empty() ? "" : ", ") + std::string(is_token ? "session id " + token : "secret '" + secret + "'") +
               " in " + h.file.string();
    }
    std::string used;
    if (token_found) {
      auto attacker = client::open_connection(from_other_host(t));
      if (attacker) {
        (*attacker)->session_id = token;
        auto owner = owner_of_new_project(**attacker, "from-disk-" + t.tag);
        used = owner && *owner == victim_id.agent_id ? "; the id read from disk then acted as " + victim_id.agent_id
                                                     : "; the id read from disk did not act as the victim";
      }
    }
    return exploited("read from the stored state in plain text: " + found + used);
  }
};

}  // namespace

std::unique_ptr<Attack> make_state_disclosure_at_rest() { return std::make_unique<StateDisclosureAtRest>(); }

}  // namespace lab::attacks
