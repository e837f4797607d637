// oversize-message: one request line of 8 MiB. Exploited when the server stored
// and served it back; blocked when it answered MESSAGE_TOO_LARGE.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr std::size_t kSize = 8 * 1024 * 1024;

class OversizeMessage final : public Attack {
 public:
  std::string_view id() const override { return "oversize-message"; }
  std::string_view title() const override { return "Send a message far larger than the limit"; }

  AttackResult run(const Target& t) const override {
    auto me = attacker_identity(t, Role::kCoordinator);
    auto attacker = client::open_session(t.stage, t.endpoint, me);
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);
    const std::string name = "oversize-" + t.tag;
    const std::string line =
        prepared_request(**attacker, "create_project", Json{{"name", name}, {"description", std::string(kSize, 'A')}})
            .dump();
    const std::string size = std::to_string(line.size()) + "-byte line";
    // Building and signing 8 MiB takes a while on a slow machine: a stage that closes idle connections may have
    // closed this one meanwhile. The line goes out on a fresh connection (same session, address and certificate);
    // a size limit refuses it as it arrives, before anything looks at the session.
    if (auto s = reconnect_as(**attacker, t, me); !s) {
      return failed("cannot connect again to send: " + s.error().message);
    }

    auto answer = send_line_for_response(**attacker, line);
    if (answer && answer->value("status", "") == "ok") {
      const std::string pid = answer->value("data", Json::object()).value("id", "");
      auto read = (*attacker)->call("get_project", Json{{"project_id", pid}});
      if (!read) return blocked("the " + size + " was answered ok, but reading " + pid + " failed: " +
                                describe(read.error()));
      const auto kept = read->value("project", Json::object()).value("description", "").size();
      if (kept == kSize) {
        return exploited("the server kept an 8 MiB message: the " + size + " created " + pid +
                         " and get_project returned its " + std::to_string(kept) + "-byte description");
      }
      return blocked("the " + size + " was answered ok, but " + pid + " has a " + std::to_string(kept) +
                     "-byte description");
    }
    const std::optional<Error> refused_with = answer ? std::optional(net::error_from_response(*answer)) : std::nullopt;
    const std::string refusal = refused_with ? describe(*refused_with) : describe(answer.error());
    const bool closed = !(*attacker)->line().read_line(std::chrono::milliseconds(2500)).ok();

    // A fresh connection checks that nothing was stored.
    auto check = client::open_session(t.stage, t.endpoint, me);
    if (!check) return failed("cannot reconnect to check: " + check.error().message);
    auto projects = (*check)->call("list_projects");
    if (!projects) return failed("cannot list projects: " + projects.error().message);
    for (const auto& p : projects->value("projects", Json::array())) {
      if (p.value("name", "") == name) {
        return exploited("the " + size + " was answered " + refusal + ", but project " + p.value("id", "") +
                         " was stored anyway");
      }
    }
    const std::string evidence = "the " + size + " was refused: " + refusal +
                                 (closed ? "; the connection was then closed" : "") + "; no such project exists";
    return refused_with ? refused(*refused_with, evidence) : blocked(evidence);
  }
};

}  // namespace

std::unique_ptr<Attack> make_oversize_message() { return std::make_unique<OversizeMessage>(); }

}  // namespace lab::attacks
