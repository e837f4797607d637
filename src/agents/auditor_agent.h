// AuditorAgent: subscribes to the coordinator's event stream, appends every
// event (with the alerts it raised) to a JSON-lines audit log, and reports alerts.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "agents/audit_rules.h"
#include "client/session.h"

namespace lab::agents {

struct AuditorOptions {
  int stage = 1;
  net::ClientOptions endpoint;
  client::Identity identity{"auditor", Role::kObserver, ""};
  std::filesystem::path log_file = "out/audit.jsonl";
  std::chrono::seconds duration{0};  // stop after this long; 0 = until stopped
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const Alert&)> on_alert;
  std::function<void(const Json&)> on_event;  // every event seen, before its alerts
  std::function<void(const std::string&)> log;
};

struct AuditReport {
  std::uint64_t events = 0;
  std::uint64_t alerts = 0;
};

Result<AuditReport> run_auditor(const AuditorOptions& options);

}  // namespace lab::agents
