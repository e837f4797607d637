#include "stage3_secure/session_rules.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lab::stage3 {

Json listed_session(const store::SessionRecord& s, const SessionTimes& times, std::int64_t now_ms) {
  return Json{{"session", s.id.substr(0, 12)},
              {"agent_id", s.agent_id},
              {"role", lab::to_string(s.role)},
              {"client", s.client_address},
              {"client_name", s.client_name},
              {"created_ms", s.created_ms},
              {"last_activity_ms", s.last_seen_ms},
              {"idle_ms", now_ms - s.last_seen_ms},
              {"expires_at_ms", std::min(s.created_ms + times.absolute_timeout.count(),
                                         s.last_seen_ms + times.idle_timeout.count())}};
}

Error unknown_session() { return Error{ErrorCode::kAuthRequired, "no such session: log in first"}; }

security::SessionToken insert_with_fresh_id(store::SessionStore& sessions, store::SessionRecord& record) {
  // FIX V-002: 256 bits from the OS CSPRNG; the server keeps only their SHA-256.
  // FIX V-027: no statistical generator whose state one id would give away (libsodium's randombytes).
  security::SessionToken token = security::SessionToken::generate();
  for (record.id = token.hash().to_hex(); !sessions.insert(record); record.id = token.hash().to_hex()) {
    token = security::SessionToken::generate();
  }
  return token;
}

std::vector<std::string> keep_within_session_cap(store::SessionStore& sessions, const std::string& agent_id,
                                                 std::size_t max_sessions) {
  // FIX V-007: at most max_sessions_per_agent live sessions; a new login ends the oldest.
  auto live = sessions.sessions_of_agent(agent_id);
  std::vector<std::string> ended;
  if (live.size() < max_sessions) return ended;
  std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) { return a.created_ms < b.created_ms; });
  for (std::size_t i = 0; i + max_sessions <= live.size(); ++i) {
    sessions.erase(live[i].id);
    ended.push_back(live[i].id);
    spdlog::info("session cap: ended {}'s oldest session {}", agent_id, live[i].id.substr(0, 12));
  }
  return ended;
}

Status check_session_times(store::SessionStore& sessions, const std::string& id, std::int64_t created_ms,
                           std::int64_t last_seen_ms, const SessionTimes& times, std::int64_t now_ms) {
  // FIX V-003: an absolute lifetime as well as the idle timeout; a busy session still ends.
  // FIX V-028: the absolute lifetime is checked before the idle timeout, with its own code.
  if (now_ms - created_ms > times.absolute_timeout.count()) {
    sessions.erase(id);
    return Error{ErrorCode::kSessionLifetimeExceeded, "the session reached its absolute lifetime; log in again"};
  }
  if (now_ms - last_seen_ms > times.idle_timeout.count()) {
    sessions.erase(id);
    return Error{ErrorCode::kSessionExpired, "session expired after inactivity; log in again"};
  }
  return ok_status();
}

}  // namespace lab::stage3
