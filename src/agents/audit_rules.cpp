#include "agents/audit_rules.h"

namespace lab::agents {
namespace {

std::string str(const Json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string id_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return {};
}

// Drops entries older than the window and returns how many remain after adding now.
std::size_t count_in_window(std::deque<std::int64_t>& times, std::int64_t now, std::int64_t window) {
  times.push_back(now);
  while (!times.empty() && times.front() < now - window) times.pop_front();
  return times.size();
}

}  // namespace

std::vector<Alert> AuditRules::observe(const Json& event, std::int64_t now_ms) {
  std::vector<Alert> alerts;
  ++events_;
  const auto seq = event.value("seq", std::uint64_t{0});
  if (last_seq_ != 0 && seq > last_seq_ + 1) ++gaps_;
  if (seq > last_seq_) last_seq_ = seq;

  const std::string kind = str(event, "kind");
  const std::string agent = str(event, "agent_id");
  const std::string session = str(event, "session");
  const std::string address = str(event, "peer_address");
  const Json data = event.value("data", Json::object());

  // Hijack suspicion: a session used from an address other than the one it started from.
  if (!session.empty() && !address.empty() && kind != "request_rejected") {
    auto [it, inserted] = session_origin_.try_emplace(session, address);
    if (!inserted && it->second != address && reported_addresses_.insert({session, address}).second) {
      alerts.push_back({"session-used-from-new-address", "critical",
                        "session " + session + " of " + agent + " used from " + address + " (it started from " +
                            it->second + "): possible hijacking"});
    }
  }

  // Replay suspicion: the same request id executed twice in one session.
  const std::string request_id = id_text(event.value("request_id", Json()));
  if (!session.empty() && !request_id.empty() && kind != "request_rejected" && kind != "subscribed") {
    const std::string key = session + "|" + request_id;
    if (!request_ids_.emplace(key, kind).second) {
      alerts.push_back({"request-id-reused", "warning",
                        "request " + request_id + " executed again in session " + session + " (" + kind +
                            "): possible replay"});
    }
  }

  if (kind == "session_created") {
    if (data.value("client_chosen_id", false)) {
      alerts.push_back({"client-chosen-session-id", "critical",
                        agent + " logged in on a session id chosen by the client (" + session +
                            "): possible session fixation"});
    }
    const std::string role = str(event, "role");
    if (role == "admin" || role == "coordinator") {
      alerts.push_back({"privileged-session", "notice", agent + " opened " + (role == "admin" ? "an " : "a ") + role + " session from " + address});
    }
  }

  if (kind == "role_changed") {
    alerts.push_back({"role-changed", "warning",
                      agent + " changed the role of " + str(data, "agent_id") + " to " + str(data, "role")});
  }

  if (kind == "request_rejected" && str(data, "code") == "AUTH_FAILED") {
    const auto n = count_in_window(auth_failures_[address], now_ms, options_.brute_force_window_ms);
    if (n == static_cast<std::size_t>(options_.brute_force_failures)) {
      alerts.push_back({"brute-force-suspected", "critical",
                        std::to_string(n) + " failed logins from " + address + " within " +
                            std::to_string(options_.brute_force_window_ms / 1000) + " s"});
    }
  }

  if (!address.empty()) {
    const auto n = count_in_window(recent_by_address_[address], now_ms, options_.flood_window_ms);
    if (n > static_cast<std::size_t>(options_.flood_requests) && flood_reported_.insert(address).second) {
      alerts.push_back({"request-flood-suspected", "warning",
                        "more than " + std::to_string(options_.flood_requests) + " requests from " + address +
                            " within " + std::to_string(options_.flood_window_ms) + " ms"});
    }
  }
  return alerts;
}

}  // namespace lab::agents
