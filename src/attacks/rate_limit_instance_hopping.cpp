// rate-limit-instance-hopping: one session spends its request budget on one coordinator instance, then goes on
// through another. Exploited when the second instance serves about as many again (at least half of what the
// first served before it refused): each instance counted only what reached it, so n instances are n budgets.
#include <cstdio>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr int kMaxRequests = 2000;  // per instance: far above any budget of the lab's stages
constexpr int kChunk = 50;

struct Spent {
  int served = 0;
  bool limited = false;  // the instance answered RATE_LIMITED
  std::string other;     // the first other refusal or failure
};

// Pipelined get_session_info requests, kChunk at a time, until the first RATE_LIMITED answer.
Spent spend_budget(net::ProtocolClient& client) {
  Spent spent;
  int sent = 0;
  while (sent < kMaxRequests && !spent.limited && spent.other.empty()) {
    std::string chunk;
    for (int i = 0; i < kChunk; ++i) chunk += prepared_request(client, "get_session_info", Json::object()).dump() + "\n";
    sent += kChunk;
    if (auto s = client.line().send_raw(chunk); !s) {
      spent.other = s.error().message;
      break;
    }
    for (int i = 0; i < kChunk; ++i) {
      auto text = client.line().read_line(std::chrono::seconds(10));
      if (!text) {
        spent.other = text.error().message;
        break;
      }
      Json msg = Json::parse(*text, nullptr, false);
      if (!msg.is_object() || !msg.contains("status")) {
        --i;  // an event, not an answer
        continue;
      }
      if (msg.value("status", "") == "ok") ++spent.served;
      else if (msg.value("code", "") == "RATE_LIMITED") spent.limited = true;
      else if (spent.other.empty()) spent.other = describe(net::error_from_response(msg));
    }
  }
  return spent;
}

class RateLimitInstanceHopping final : public Attack {
 public:
  std::string_view id() const override { return "rate-limit-instance-hopping"; }
  std::string_view title() const override { return "Dodge a rate limit by hopping instances"; }
  bool runs_alone() const override { return true; }  // budgets refill with time: the counts need an idle machine

  AttackResult run(const Target& t) const override {
    const auto other = other_instance_of(t);
    if (!other) return failed("needs a stage of several coordinator instances");
    const auto me = attacker_identity(t);
    auto attacker = client::open_session(t.stage, t.endpoint, me);
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);

    const auto started = std::chrono::steady_clock::now();
    const Spent first = spend_budget(**attacker);
    if (!first.limited) {
      return failed("the first instance never answered RATE_LIMITED (" + std::to_string(first.served) +
                    " served" + (first.other.empty() ? "" : ", " + first.other) + "): no budget to dodge");
    }
    if (auto s = reconnect_as(**attacker, *other, me); !s) return failed("cannot reach the other instance: " + s.error().message);
    const Spent second = spend_budget(**attacker);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.2f s", seconds);
    const std::string counts = "one instance served " + std::to_string(first.served) +
                               " pipelined requests before RATE_LIMITED; the same session then got " +
                               std::to_string(second.served) + " more served by the other instance (" + took +
                               " in all)";
    if (second.served * 2 >= first.served) return exploited(counts + ": a second budget");
    if (!second.limited) return failed(counts + ", then " + (second.other.empty() ? "no answer" : second.other));
    AttackResult result = blocked(counts + ", then RATE_LIMITED: one budget for both");
    result.refusal = ErrorCode::kRateLimited;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_rate_limit_instance_hopping() { return std::make_unique<RateLimitInstanceHopping>(); }

}  // namespace lab::attacks
