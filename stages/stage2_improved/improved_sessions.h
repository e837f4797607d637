// Stage 2 sessions: real improvements (passwords, random ids, idle timeout,
// logout, HMAC signatures) next to the gaps that keep it exploitable. Every
// FIX and VULN is marked; see README.md and SECURITY_ANALYSIS.md.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "coordinator/policies.h"
#include "core/clock.h"
#include "security/key256.h"
#include "stage2_improved/credential_store.h"
#include "store/agent_store.h"
#include "store/session_store.h"

namespace lab::stage2 {

struct SessionOptions {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds timestamp_window = std::chrono::minutes(30);
  // The session-id generator's seed keeps only this many low bits of its 32
  // (32 in normal use; the matrix narrows it so that recovering the seed takes
  // a second instead of minutes: `lab serve --narrow-prng-seed BITS`).
  int prng_seed_bits = 32;
};

class ImprovedSessions final : public coordinator::SessionPolicy {
 public:
  ImprovedSessions(CredentialStore credentials, store::SessionStore& sessions, store::AgentStore& agents,
                   SessionOptions options, const Clock& clock = system_clock());

  Result<coordinator::Caller> authenticate(const Request& request,
                                           const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;

 private:
  std::string new_session_id();
  void sweep_expired(std::int64_t now_ms);
  bool expired(std::int64_t last_seen_ms, std::int64_t now_ms) const;

  static constexpr std::int64_t kSweepIntervalMs = 1000;

  CredentialStore credentials_;
  store::SessionStore& sessions_;
  store::AgentStore& agents_;
  SessionOptions options_;
  const Clock& clock_;
  std::mutex mutex_;  // guards the generator
  std::mt19937_64 id_generator_;
  std::atomic<std::int64_t> last_sweep_ms_{0};  // a request reads it; the one that moves it sweeps
  const security::Key256 unknown_session_key_ = security::Key256::random();  // verifies requests naming no live session (always fails)
};

}  // namespace lab::stage2
