// web-request-flood (stage 5): alice's session floods the API from 40 addresses at once (a token and its cookie
// shared by a farm of agents), each address sending 25 requests: 1,000 in all, far above one agent's budget and
// nowhere near one address's. Exploited when every request was served with no RATE_LIMITED answer; blocked at
// the first 429.
#include <atomic>
#include <mutex>
#include <thread>

#include "attacks/attack_list.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

constexpr int kAddresses = 40;
constexpr int kPerAddress = 25;

class WebRequestFlood final : public Attack {
 public:
  std::string_view id() const override { return "web-request-flood"; }
  std::string_view title() const override { return "Flood the API with one session from many addresses"; }
  // Not alone: no verdict rests on timing (25 requests per address never meet an address's budget of 400, 1,000
  // always exceed an agent's burst), so the flood may share the machine with other cells.

  AttackResult run(const Target& t) const override {
    auto alice = signed_in_browser(t, "alice");
    if (!alice) return failed("no verdict: " + alice.error().message);
    std::atomic<int> ok{0}, limited{0};
    std::atomic<bool> stop{false};
    std::mutex other_mutex;
    std::string other;
    std::vector<std::thread> farm;
    // Four threads, ten addresses each (127.0.0.100 to 127.0.0.139), one connection per address.
    for (int worker = 0; worker < 4; ++worker) {
      farm.emplace_back([&, worker] {
        for (int a = worker; a < kAddresses && !stop; a += 4) {
          web::BrowserClient agent = thief_with_cookies_of(t, **alice, "127.0.0." + std::to_string(100 + a));
          for (int i = 0; i < kPerAddress && !stop; ++i) {
            auto r = agent.request("GET", "/api/session");
            if (r && r->status == 200) {
              ++ok;
            } else if (r && refusal_in(*r) == ErrorCode::kRateLimited) {
              ++limited;
              stop = true;  // the control has shown itself
            } else {
              std::lock_guard lock(other_mutex);
              if (other.empty()) other = r ? describe(*r) : r.error().message;
              stop = true;
            }
          }
        }
      });
    }
    for (auto& thread : farm) thread.join();
    const std::string counts = std::to_string(ok.load()) + " of " + std::to_string(kAddresses * kPerAddress) +
                               " requests of alice's session from " + std::to_string(kAddresses) +
                               " addresses were served";
    if (limited > 0) {
      AttackResult r = blocked(counts + " before a 429 RATE_LIMITED answer");
      r.refusal = ErrorCode::kRateLimited;
      return r;
    }
    if (ok == kAddresses * kPerAddress) return exploited(counts + ", with no RATE_LIMITED answer");
    return failed("no verdict: " + counts + "; another answer stopped the flood: " + other);
  }
};

}  // namespace

std::unique_ptr<Attack> make_web_request_flood() { return std::make_unique<WebRequestFlood>(); }

}  // namespace lab::attacks
