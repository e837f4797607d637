// request-flood: one session pipelines up to 3000 requests on one connection,
// 250 at a time. Exploited when every one was served; blocked when the server
// answered RATE_LIMITED (the flood stops there).
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

constexpr int kRequests = 3000;
constexpr int kChunk = 250;

class RequestFlood final : public Attack {
 public:
  std::string_view id() const override { return "request-flood"; }
  std::string_view title() const override { return "Flood the coordinator with requests"; }
  bool runs_alone() const override { return true; }  // it loads the server flat out and counts what got through

  AttackResult run(const Target& t) const override {
    auto attacker = client::open_session(t.stage, t.endpoint, attacker_identity(t));
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);
    auto& line = (*attacker)->line();

    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::seconds(15);
    int sent = 0, answered = 0, ok = 0, first_limited = -1;
    std::string send_error, other;
    // Chunks of pipelined requests, each read back before the next is sent; the flood stops at the first
    // RATE_LIMITED answer (the control has shown itself: what follows would only measure the rest of the chain).
    while (sent < kRequests && send_error.empty() && other.empty() && first_limited < 0) {
      std::string chunk;
      for (int i = 0; i < kChunk && sent < kRequests; ++i, ++sent) {
        chunk += prepared_request(**attacker, "get_session_info", Json::object()).dump() + "\n";
      }
      if (auto s = line.send_raw(chunk); !s) send_error = s.error().message;
      while (answered < sent) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
          other = "no answer within 15 s";
          break;
        }
        auto text = line.read_line(left);
        if (!text) {
          other = text.error().message;
          break;
        }
        Json msg = Json::parse(*text, nullptr, false);
        if (!msg.is_object() || !msg.contains("status")) continue;
        if (msg.value("status", "") == "ok") {
          ++ok;
        } else if (msg.value("code", "") == "RATE_LIMITED") {
          if (first_limited < 0) first_limited = answered;
        } else if (other.empty()) {
          other = describe(net::error_from_response(msg));
        }
        ++answered;
      }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.2f s", secs);
    const std::string counts = std::to_string(ok) + " of " + std::to_string(sent) +
                               " pipelined get_session_info requests were served ok in " + took;
    if (first_limited >= 0) {
      AttackResult result =
          blocked(counts + "; the first RATE_LIMITED answer was to request " + std::to_string(first_limited + 1));
      result.refusal = ErrorCode::kRateLimited;
      return result;
    }
    if (ok == kRequests) return exploited(counts + ", no RATE_LIMITED answer");
    std::string why = other.empty() ? "" : " (" + other + ")";
    if (!send_error.empty()) why += " (sending stopped: " + send_error + ")";
    return blocked(counts + ", " + std::to_string(sent - answered) + " unanswered" + why);
  }
};

}  // namespace

std::unique_ptr<Attack> make_request_flood() { return std::make_unique<RequestFlood>(); }

}  // namespace lab::attacks
