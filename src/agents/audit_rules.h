// AuditRules: turns the coordinator's event stream into alerts. Pure logic
// (no I/O), fed one event at a time in seq order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/domain.h"

namespace lab::agents {

struct Alert {
  std::string rule;      // "session-used-from-new-address", ...
  std::string severity;  // "notice", "warning", "critical"
  std::string message;
  Json to_json() const { return Json{{"rule", rule}, {"severity", severity}, {"message", message}}; }
};

struct AuditRuleOptions {
  int brute_force_failures = 5;          // AUTH_FAILED from one address ...
  std::int64_t brute_force_window_ms = 60000;  // ... within this window
  int flood_requests = 500;              // events from one address ...
  std::int64_t flood_window_ms = 1000;   // ... within this window
};

class AuditRules {
 public:
  explicit AuditRules(AuditRuleOptions options = {}) : options_(options) {}

  // Alerts raised by this event (possibly none). `now_ms` orders windows.
  std::vector<Alert> observe(const Json& event, std::int64_t now_ms);

  std::uint64_t events_seen() const { return events_; }
  std::uint64_t gaps_seen() const { return gaps_; }

 private:
  // The fields of one event every rule looks at.
  struct Seen {
    std::string kind, agent, session, address;
    Json data;
  };
  void check_address_change(const Seen& e, std::vector<Alert>& alerts);
  void check_request_id_reuse(const Seen& e, const Json& request_id, std::vector<Alert>& alerts);
  void check_new_session(const Seen& e, const Json& event, std::vector<Alert>& alerts);
  void check_binding(const Seen& e, std::vector<Alert>& alerts);
  void check_failures_and_floods(const Seen& e, std::int64_t now_ms, std::vector<Alert>& alerts);

  AuditRuleOptions options_;
  std::uint64_t events_ = 0;
  std::uint64_t gaps_ = 0;
  std::uint64_t last_seq_ = 0;
  std::map<std::string, std::string> session_origin_;          // session -> first address
  std::set<std::pair<std::string, std::string>> reported_addresses_;
  std::map<std::string, std::string> request_ids_;            // session|request_id -> kind
  std::map<std::string, std::deque<std::int64_t>> auth_failures_;
  std::map<std::string, std::deque<std::int64_t>> recent_by_address_;
  std::set<std::string> flood_reported_;
};

}  // namespace lab::agents
