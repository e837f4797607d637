// concurrent-sessions: one agent logs in ten times on ten connections and then
// uses every session. Exploited when more than the per-agent limit (3) of its
// sessions were accepted at the same time.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr int kLogins = 10;
constexpr int kLimit = 3;

class ConcurrentSessions final : public Attack {
 public:
  std::string_view id() const override { return "concurrent-sessions"; }
  std::string_view title() const override { return "Open more sessions than the per-agent limit"; }

  AttackResult run(const Target& t) const override {
    auto agent = victim_identity(t);
    std::vector<std::unique_ptr<net::ProtocolClient>> sessions;
    std::string login_refusal;
    for (int i = 0; i < kLogins; ++i) {
      auto c = client::open_connection_as(t.stage, t.endpoint, agent);
      if (!c) return failed("cannot connect: " + c.error().message);
      if (auto r = client::login(**c, t.stage, agent); r) {
        sessions.push_back(std::move(*c));
      } else if (login_refusal.empty()) {
        login_refusal = "; login " + std::to_string(i + 1) + " refused: " + describe(r.error());
      }
    }
    if (sessions.empty()) return failed(agent.agent_id + " could not log in at all" + login_refusal);

    int working = 0;
    std::string use_refusal;
    std::optional<ErrorCode> use_code;
    // A connection the server closed while it sat idle is opened again (same session, same address and
    // certificate): only a refusal of the session itself counts.
    const auto endpoint = endpoint_as(t, agent);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      auto created = call_reconnecting(*sessions[i], endpoint, "create_project",
                                       Json{{"name", "parallel-" + t.tag + "-" + std::to_string(i)}});
      auto owner = created ? Result<std::string>(created->value("owner", "")) : Result<std::string>(created.error());
      if (owner && *owner == agent.agent_id) ++working;
      else if (!owner && use_refusal.empty()) {
        use_refusal = "; session refused: " + describe(owner.error());
        use_code = owner.error().code;
      }
    }
    const std::string counts = std::to_string(sessions.size()) + " of " + std::to_string(kLogins) +
                               " logins of " + agent.agent_id + " succeeded and " + std::to_string(working) +
                               " of those sessions then created a project";
    if (working > kLimit) {
      return exploited(counts + ": " + std::to_string(working) + " sessions of one agent worked at once (limit " +
                       std::to_string(kLimit) + ")");
    }
    AttackResult result = blocked(counts + " (limit " + std::to_string(kLimit) + ")" + login_refusal + use_refusal);
    result.refusal = use_code;  // what refused the sessions past the limit
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_concurrent_sessions() { return std::make_unique<ConcurrentSessions>(); }

}  // namespace lab::attacks
