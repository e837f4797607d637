// The rules every secure stage applies to its server-side sessions, whatever proves the login (stage 3: a
// certificate's key and a password; stage 5: a password, then tokens): a fresh CSPRNG id kept only as its hash,
// a cap on live sessions per agent, and the validation order — unknown, absolute lifetime, idle — each with its
// own code.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/result.h"
#include "security/session_token.h"
#include "store/session_store.h"

namespace lab::stage3 {

struct SessionTimes {
  std::chrono::milliseconds idle_timeout;
  std::chrono::milliseconds absolute_timeout;
};

// Inserts `record` under the hash of a new CSPRNG id (its `id` is set to that hash) and returns the id.
security::SessionToken insert_with_fresh_id(store::SessionStore& sessions, store::SessionRecord& record);
// Ends `agent_id`'s oldest sessions until a new one fits under `max_sessions`; returns the ended records' ids.
std::vector<std::string> keep_within_session_cap(store::SessionStore& sessions, const std::string& agent_id,
                                                 std::size_t max_sessions);
// The session `id` (a stored hash) after its absolute lifetime, then its idle time, were checked at `now_ms`; a
// session past either is erased and refused with its own code.
Status check_session_times(store::SessionStore& sessions, const std::string& id, std::int64_t created_ms,
                           std::int64_t last_seen_ms, const SessionTimes& times, std::int64_t now_ms);
// How session monitoring (list_sessions) shows one session: named by a fingerprint of its stored hash (the listing
// gives nobody a usable id), with its bindings and its times.
Json listed_session(const store::SessionRecord& session, const SessionTimes& times, std::int64_t now_ms);
// One answer for every id the server does not hold, well-formed or not: a probe learns nothing.
Error unknown_session();

}  // namespace lab::stage3
