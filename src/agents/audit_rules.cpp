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

  const Seen e{str(event, "kind"), str(event, "agent_id"), str(event, "session"), str(event, "peer_address"),
               event.value("data", Json::object())};
  check_address_change(e, alerts);
  check_request_id_reuse(e, event.value("request_id", Json()), alerts);
  check_new_session(e, event, alerts);
  check_binding(e, alerts);
  if (e.kind == "role_changed") {
    alerts.push_back({"role-changed", "warning",
                      e.agent + " changed the role of " + str(e.data, "agent_id") + " to " + str(e.data, "role")});
  }
  check_failures_and_floods(e, now_ms, alerts);
  return alerts;
}

// Hijack suspicion: a session used from an address other than the one it started from.
void AuditRules::check_address_change(const Seen& e, std::vector<Alert>& alerts) {
  if (e.session.empty() || e.address.empty() || e.kind == "request_rejected") return;
  auto [it, inserted] = session_origin_.try_emplace(e.session, e.address);
  if (!inserted && it->second != e.address && reported_addresses_.insert({e.session, e.address}).second) {
    alerts.push_back({"session-used-from-new-address", "critical",
                      "session " + e.session + " of " + e.agent + " used from " + e.address + " (it started from " +
                          it->second + "): possible hijacking"});
  }
}

// Replay suspicion: the same request id executed twice in one session.
void AuditRules::check_request_id_reuse(const Seen& e, const Json& request_id, std::vector<Alert>& alerts) {
  const std::string id = id_text(request_id);
  if (e.session.empty() || id.empty() || e.kind == "request_rejected" || e.kind == "subscribed") return;
  if (!request_ids_.emplace(e.session + "|" + id, e.kind).second) {
    alerts.push_back({"request-id-reused", "warning",
                      "request " + id + " executed again in session " + e.session + " (" + e.kind +
                          "): possible replay"});
  }
}

void AuditRules::check_new_session(const Seen& e, const Json& event, std::vector<Alert>& alerts) {
  if (e.kind != "session_created") return;
  if (e.data.value("client_chosen_id", false)) {
    alerts.push_back({"client-chosen-session-id", "critical",
                      e.agent + " logged in on a session id chosen by the client (" + e.session +
                          "): possible session fixation"});
  }
  const std::string role = str(event, "role");
  if (role == "admin" || role == "coordinator") {
    alerts.push_back({"privileged-session", "notice",
                      e.agent + " opened " + (role == "admin" ? "an " : "a ") + role + " session from " + e.address});
  }
}

// Stage 3 refuses a session presented from another address, certificate or client name, and ends it: whoever
// presented it may have stolen it. A migration is the legitimate move, after the agent proved its key again.
void AuditRules::check_binding(const Seen& e, std::vector<Alert>& alerts) {
  if (e.kind == "request_rejected") {
    const std::string code = str(e.data, "code");
    if (code == "ADDRESS_MISMATCH" || code == "CERTIFICATE_MISMATCH" || code == "CLIENT_MISMATCH") {
      alerts.push_back({"session-binding-mismatch", "critical",
                        "a session was presented from " + e.address + " with another " +
                            (code == "ADDRESS_MISMATCH" ? std::string("address")
                             : code == "CERTIFICATE_MISMATCH" ? std::string("client certificate")
                                                              : std::string("client name")) +
                            " than it was issued to (" + code + "): possible theft; the stage ended it"});
    }
  } else if (e.kind == "session_migrated") {
    alerts.push_back({"session-migrated", "notice",
                      e.agent + " moved a session from " + str(e.data, "from") + " to " + str(e.data, "to") +
                          " after proving its key again"});
  }
}

void AuditRules::check_failures_and_floods(const Seen& e, std::int64_t now_ms, std::vector<Alert>& alerts) {
  if (e.kind == "request_rejected" && str(e.data, "code") == "AUTH_FAILED") {
    const auto n = count_in_window(auth_failures_[e.address], now_ms, options_.brute_force_window_ms);
    if (n == static_cast<std::size_t>(options_.brute_force_failures)) {
      alerts.push_back({"brute-force-suspected", "critical",
                        std::to_string(n) + " failed logins from " + e.address + " within " +
                            std::to_string(options_.brute_force_window_ms / 1000) + " s"});
    }
  }
  if (e.address.empty()) return;
  const auto n = count_in_window(recent_by_address_[e.address], now_ms, options_.flood_window_ms);
  if (n > static_cast<std::size_t>(options_.flood_requests) && flood_reported_.insert(e.address).second) {
    alerts.push_back({"request-flood-suspected", "warning",
                      "more than " + std::to_string(options_.flood_requests) + " requests from " + e.address +
                          " within " + std::to_string(options_.flood_window_ms) + " ms"});
  }
}

}  // namespace lab::agents
