// replay-signed-request: a request line of the victim (signed, in later
// stages) is captured and sent again unchanged on the victim's own connection,
// as whatever forwards its traffic could. Exploited when the
// replay had a second effect: two tasks instead of one.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class ReplaySignedRequest final : public Attack {
 public:
  std::string_view id() const override { return "replay-signed-request"; }
  std::string_view title() const override { return "Replay a captured signed request"; }

  AttackResult run(const Target& t) const override {
    auto captured = capture_victim_create_task(t, "replay");
    if (!captured) return failed(captured.error().message);
    // Resent on the victim's own connection, as anything on its path that forwards its traffic can (a relay on
    // a plaintext stage, a TLS-terminating proxy on a TLS one): the same address, certificate and session, so
    // only a check of the request itself can tell the copy from the original.
    const auto replayed = send_line_for_response(*captured->victim, captured->line);
    return replay_verdict(*captured, replayed, "on its own connection");
  }
};

}  // namespace

std::unique_ptr<Attack> make_replay_signed_request() { return std::make_unique<ReplaySignedRequest>(); }

}  // namespace lab::attacks
