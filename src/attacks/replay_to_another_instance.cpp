// replay-to-another-instance: the victim's signed create_task, captured on its way to one coordinator
// instance, is sent unchanged to another instance of the same stage, as a balancer or anything on the path
// between them could. Exploited when the copy had a second effect: two tasks instead of one. Where each
// instance remembers only the nonces it saw itself, the copy is new to the second one.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class ReplayToAnotherInstance final : public Attack {
 public:
  std::string_view id() const override { return "replay-to-another-instance"; }
  std::string_view title() const override { return "Replay a captured request to another instance"; }

  AttackResult run(const Target& t) const override {
    const auto other = other_instance_of(t);
    if (!other) return failed("needs a stage of several coordinator instances");
    auto captured = capture_victim_create_task(t, "replay-across");
    if (!captured) return failed(captured.error().message);
    // The copy arrives at the other instance the way the victim's own traffic would: its certificate, its
    // address, its session. Only what the instances share can tell it from the original.
    auto as_victim = captured->identity;
    auto copy = client::open_connection_as(t.stage, endpoint_as(*other, captured->identity), as_victim);
    if (!copy) return failed("cannot reach the other instance: " + copy.error().message);
    const auto replayed = send_line_for_response(**copy, captured->line);
    return replay_verdict(*captured, replayed, "to the other instance");
  }
};

}  // namespace

std::unique_ptr<Attack> make_replay_to_another_instance() { return std::make_unique<ReplayToAnotherInstance>(); }

}  // namespace lab::attacks
