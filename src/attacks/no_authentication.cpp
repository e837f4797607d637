// no-authentication: three probes that need no credentials — a request with no
// session naming the victim, an id nobody issued, and an admin login with the
// default (or a wrong) password. Exploited when any of them acted as that identity.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class NoAuthentication final : public Attack {
 public:
  std::string_view id() const override { return "no-authentication"; }
  std::string_view title() const override { return "Act without authenticating or as a claimed identity"; }

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);

    std::vector<std::string> worked, refusals;
    std::optional<Error> first_refusal;
    const auto note = [&](const std::string& probe, const Result<Json>& r, bool success, const std::string& what) {
      if (success) worked.push_back(probe + " " + what);
      else refusals.push_back(probe + ": " + (r ? what : describe(r.error())));
      if (!success && !r && !first_refusal) first_refusal = r.error();
    };
    const auto connect = [&]() { return client::open_connection(from_other_host(t)); };

    // (a) no session at all, naming the victim in the payload.
    auto a = connect();
    if (!a) return failed("attacker cannot connect: " + a.error().message);
    auto ra = (*a)->call("create_project", Json{{"name", "nosession-" + t.tag}, {"agent_id", victim_id.agent_id}});
    note("no session", ra, ra && ra->value("owner", "") == victim_id.agent_id,
         ra ? "created a project owned by '" + ra->value("owner", "") + "'" : "");

    // (b) a session id the server never issued.
    const std::string unissued = "sess_unissued_" + t.tag;
    (*a)->session_id = unissued;
    auto rb = (*a)->call("create_project", Json{{"name", "unissued-" + t.tag}, {"agent_id", victim_id.agent_id}});
    note("unissued id " + unissued, rb, rb.ok(), rb ? "was served, project owner '" + rb->value("owner", "") + "'" : "");

    // (c) an admin login with the default password "admin", then with a wrong one. Where logins need a certificate, the
    // attacker presents the one it holds (the insider's, which names another agent).
    for (const bool with_password : {false, true}) {
      auto c = connect();
      if (!c) return failed("attacker cannot connect: " + c.error().message);
      client::Identity admin = insider_claiming(t, admin_identity(t));
      admin.password = with_password ? "wrong-" + t.tag : "admin";
      auto rc = client::login(**c, t.stage, admin);
      const bool granted = rc && rc->value("role", "") == "admin" && rc->value("agent_id", "") == admin.agent_id;
      note(with_password ? "admin login with a wrong password" : "admin login with the default password", rc, granted,
           rc ? "got role '" + rc->value("role", "") + "'" : "");
    }

    const auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
      return s;
    };
    if (!worked.empty()) {
      return exploited(std::to_string(worked.size()) + " of 4 unauthenticated probes worked: " + join(worked));
    }
    const std::string evidence = "all 4 unauthenticated probes were refused: " + join(refusals);
    return first_refusal ? refused(*first_refusal, evidence) : blocked(evidence);
  }
};

}  // namespace

std::unique_ptr<Attack> make_no_authentication() { return std::make_unique<NoAuthentication>(); }

}  // namespace lab::attacks
