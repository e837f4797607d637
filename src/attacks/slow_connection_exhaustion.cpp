// slow-connection-exhaustion: 200 connections that never send a byte.
// Exploited when the server still holds all of them open a second past its
// idle timeout, or can no longer serve a login it served before the attack;
// blocked when it closed or refused them and kept serving.
#include <thread>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr int kConnections = 200;

class SlowConnectionExhaustion final : public Attack {
 public:
  std::string_view id() const override { return "slow-connection-exhaustion"; }
  std::string_view title() const override { return "Exhaust the server with slow connections"; }

  AttackResult run(const Target& t) const override {
    using std::chrono::milliseconds;
    // First, the server must serve a legitimate login at all: otherwise a
    // refusal below says nothing about slow connections.
    if (auto baseline = client::open_session(t.stage, t.endpoint, victim_identity(t)); !baseline) {
      return failed("no verdict: before the attack a legitimate login already failed: " + baseline.error().message);
    }
    auto options = from_other_host(t);
    options.timeout = milliseconds(2000);
    std::vector<net::LineClient> idle(kConnections);
    int refused = 0;
    std::string refusal;
    for (auto& c : idle) {
      if (auto s = c.connect(options); !s) {
        ++refused;
        if (refusal.empty()) refusal = " (" + s.error().message + ")";
      }
    }
    // A second past the deadline: enough for a server that enforces it to have closed every one of them.
    const auto wait = t.settings.connection_idle_timeout + milliseconds(1000);
    std::this_thread::sleep_for(wait);

    int open = 0, closed = 0;
    for (auto& c : idle) {
      if (!c.is_connected()) continue;
      // Whatever the server says before closing is read past; a timeout means still open.
      bool is_open = true;
      for (int i = 0; i < 4; ++i) {
        auto line = c.read_line(milliseconds(5));
        if (line) continue;
        is_open = line.error().message == "timed out";
        break;
      }
      ++(is_open ? open : closed);
    }
    // Can a legitimate client still be served meanwhile?
    auto legit = client::open_session(t.stage, t.endpoint, victim_identity(t));
    const std::string served = legit ? "a legitimate login was still served"
                                     : "a legitimate login failed: " + legit.error().message;
    for (auto& c : idle) c.close();

    const std::string counts = "of " + std::to_string(kConnections) + " silent connections, " +
                               std::to_string(refused) + " were refused" + refusal + ", " + std::to_string(closed) +
                               " closed by the server and " + std::to_string(open) + " still open after " +
                               std::to_string(wait.count()) + " ms (connection idle timeout " +
                               std::to_string(t.settings.connection_idle_timeout.count()) + " ms); " + served;
    if (open == kConnections || !legit) return exploited(counts);
    return blocked(counts);
  }
};

}  // namespace

std::unique_ptr<Attack> make_slow_connection_exhaustion() { return std::make_unique<SlowConnectionExhaustion>(); }

}  // namespace lab::attacks
