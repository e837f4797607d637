// Stage 1 sessions: everything a session table should not be. Every weakness
// is deliberate and marked; see README.md and SECURITY_ANALYSIS.md.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "coordinator/agent_directory.h"
#include "coordinator/policies.h"
#include "core/clock.h"

namespace lab::stage1 {

struct InsecureSession {
  std::string id;
  std::string agent_id;
  Role role = Role::kWorker;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  std::string client;  // address recorded at login, never checked
  bool logged_out = false;
};

class InsecureSessions final : public coordinator::SessionPolicy {
 public:
  InsecureSessions(coordinator::AgentDirectory& directory, const Clock& clock = system_clock());

  Result<coordinator::Caller> authenticate(const Request& request,
                                           const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;
  Json snapshot() const override;
  void restore(const Json& snapshot) override;
  Json empty_snapshot() const override;

 private:
  coordinator::AgentDirectory& directory_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::uint64_t counter_ = 0;
  std::unordered_map<std::string, InsecureSession> sessions_;
};

}  // namespace lab::stage1
