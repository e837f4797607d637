#include "agents/agent_connection.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace lab::agents {

bool worth_retrying(const Error& error) {
  switch (error.code) {
    case ErrorCode::kConnectionFailed:
    case ErrorCode::kRateLimited:
    case ErrorCode::kInternalError:
    case ErrorCode::kAuthRequired:
    case ErrorCode::kSessionExpired:
    case ErrorCode::kSessionLifetimeExceeded:
    case ErrorCode::kTimestampOutOfWindow:
    case ErrorCode::kReplayDetected:
      return true;
    default:
      return false;
  }
}

Error credentials_refused(const Error& error, int stage, const client::Identity& identity) {
  std::string message = "the coordinator refused " + identity.agent_id + ": " + std::string(to_string(error.code)) +
                        " " + error.message + "; not retrying";
  if (stage >= 2) {
    std::string users;
    for (const auto& id : client::lab_user_ids()) users += (users.empty() ? "" : ", ") + id;
    message += ". Stage " + std::to_string(stage) + " knows only its accounts (" + users +
               "; passwords in data/sample_data/valid_credentials.json)";
  }
  return Error{error.code, message};
}

Status run_reconnecting(int stage, const client::Identity& identity, const ReconnectPolicy& policy,
                        const std::function<Status()>& session) {
  const auto stopping = [&] { return policy.stop && policy.stop->load(); };
  for (int attempt = 0;; ++attempt) {
    auto s = session();
    if (s || stopping()) return s;
    if (!worth_retrying(s.error())) return credentials_refused(s.error(), stage, identity);
    if (attempt + 1 >= policy.max_attempts) return s;
    if (policy.log) policy.log("lost the coordinator (" + s.error().message + "), reconnecting");
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * std::min(attempt + 1, 10)));
  }
}

}  // namespace lab::agents
