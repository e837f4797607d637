// hijack-stolen-session: the attacker obtains a victim's live session id and
// uses it from another host. Exploited when the attacker reads the victim's
// private project through that session.
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class HijackStolenSession final : public Attack {
 public:
  std::string_view id() const override { return "hijack-stolen-session"; }
  std::string_view title() const override { return "Use a stolen session id from another host"; }

  AttackResult run(const Target& t) const override {
    // The attacker listens to the event stream from another host, if the stage lets it.
    auto spy = client::open_connection(from_other_host(t));
    if (!spy) return failed("attacker cannot connect: " + spy.error().message);
    const bool listening = (*spy)->call("subscribe_events").ok();

    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    const std::string secret = "payroll figures " + t.tag;
    auto project = (*victim)->call("create_project", Json{{"name", "private-" + t.tag}, {"description", secret}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string project_id = project->value("id", "");
    const std::string victim_session = (*victim)->session_id.value_or("");

    std::string stolen;
    std::string how = "taken out of band with its signing key, if any: the event stream did not leak it";
    for (int i = 0; listening && i < 50 && stolen.empty(); ++i) {
      auto e = (*spy)->next_event(std::chrono::milliseconds(100));
      if (!e) continue;
      if (e->value("kind", "") == "session_created" && e->value("agent_id", "") == victim_id.agent_id &&
          e->value("session", Json()).is_string() && e->value("session", "") == victim_session) {
        stolen = victim_session;
        how = "read from the open event stream";
      }
    }
    if (stolen.empty()) stolen = victim_session;

    auto attacker = client::open_connection(from_other_host(t));
    if (!attacker) return failed("attacker cannot connect: " + attacker.error().message);
    (*attacker)->session_id = stolen;
    // Stolen session credentials include the per-session signing key, where the stage has one.
    (*attacker)->hook = (*victim)->hook;
    auto read = (*attacker)->call("get_project", Json{{"project_id", project_id}});
    if (read && read->value("project", Json::object()).value("description", "") == secret) {
      return exploited("from " + t.other_address + ", the victim's session " + stolen + " (" + how + ") read " +
                       project_id + " with its private description '" + secret + "'");
    }
    if (read) return blocked("the stolen session got an answer without the victim's data");
    return refused(read.error(), "from " + t.other_address + ", the stolen session was refused: " +
                   std::string(lab::to_string(read.error().code)) + " " + read.error().message);
  }
};

}  // namespace

std::unique_ptr<Attack> make_hijack_stolen_session() { return std::make_unique<HijackStolenSession>(); }

}  // namespace lab::attacks
