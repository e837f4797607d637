// Stage 2 sessions: real improvements (passwords, random ids, idle timeout,
// logout, HMAC signatures) next to the gaps that keep it exploitable. Every
// FIX and VULN is marked; see README.md and SECURITY_ANALYSIS.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

#include "coordinator/agent_directory.h"
#include "coordinator/policies.h"
#include "core/clock.h"
#include "security/key256.h"
#include "stage2_improved/credential_store.h"

namespace lab::stage2 {

struct SessionOptions {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds timestamp_window = std::chrono::minutes(30);
  // The session-id generator's seed keeps only this many low bits of its 32
  // (32 in normal use; the matrix narrows it so that recovering the seed takes
  // a second instead of minutes: `lab serve --narrow-prng-seed BITS`).
  int prng_seed_bits = 32;
};

struct ImprovedSession {
  std::string id;
  std::string agent_id;
  Role role = Role::kWorker;
  security::Key256 signing_key = security::Key256::random();  // the HMAC key shared with the client
  std::int64_t created_ms = 0;
  std::int64_t last_activity_ms = 0;
  std::string client;           // address at login
};

class ImprovedSessions final : public coordinator::SessionPolicy {
 public:
  ImprovedSessions(CredentialStore credentials, coordinator::AgentDirectory& directory, SessionOptions options,
                   const Clock& clock = system_clock());

  Result<coordinator::Caller> authenticate(const Request& request,
                                           const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;
  Json snapshot() const override;
  void restore(const Json& snapshot) override;
  Json empty_snapshot() const override;
  // Sessions held in memory (an expired one counts until the next sweep).
  std::size_t stored_sessions() const;

 private:
  std::string new_session_id();
  void sweep_expired(std::int64_t now_ms);  // with mutex_ held
  bool expired(const ImprovedSession& s, std::int64_t now_ms) const;

  static constexpr std::int64_t kSweepIntervalMs = 1000;

  CredentialStore credentials_;
  coordinator::AgentDirectory& directory_;
  SessionOptions options_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::mt19937_64 id_generator_;
  std::unordered_map<std::string, ImprovedSession> sessions_;
  std::int64_t last_sweep_ms_ = 0;
  const security::Key256 unknown_session_key_ = security::Key256::random();  // verifies requests naming no live session (always fails)
};

}  // namespace lab::stage2
