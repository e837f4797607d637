// Stage 1 sessions: everything a session table should not be. Every weakness
// is deliberate and marked; see README.md and SECURITY_ANALYSIS.md.
#pragma once

#include <atomic>
#include <cstdint>

#include "coordinator/policies.h"
#include "core/clock.h"
#include "store/agent_store.h"
#include "store/session_store.h"

namespace lab::stage1 {

class InsecureSessions final : public coordinator::SessionPolicy {
 public:
  InsecureSessions(store::SessionStore& sessions, store::AgentStore& agents, const Clock& clock = system_clock());

  Result<coordinator::Caller> authenticate(const Request& request,
                                           const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;

 private:
  store::SessionStore& sessions_;
  store::AgentStore& agents_;
  const Clock& clock_;
  std::atomic<std::uint64_t> counter_ = 0;
};

}  // namespace lab::stage1
