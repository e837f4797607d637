// HMAC request signatures of stage 2 (docs/PROTOCOL.md, "Stage 2 auth block").
// The signature covers type, request_id, session_id, the auth block's
// agent_id and timestamp, and the payload in canonical JSON (sorted keys, no
// whitespace). There is deliberately no nonce: see catalog V-022.
#pragma once

#include <cstdint>
#include <string>

#include "core/domain.h"
#include "core/envelope.h"
#include "core/result.h"
#include "security/key256.h"

namespace lab::security {

// The exact bytes that are signed, from a request object being built (client)
// or from a parsed request (server): the same text for the same request.
std::string canonical_request(const Json& request, std::string_view agent_id, std::int64_t timestamp);
std::string canonical_request(const Request& request, std::string_view agent_id, std::int64_t timestamp);

// Adds {"auth":{"agent_id","timestamp","signature"}} to `request`, signed with the session's key.
void sign_request(Json& request, const Key256& key, std::string_view agent_id, std::int64_t timestamp);

// Checks the auth block's signature under `key` (constant-time). Does not
// check the timestamp window or the agent: callers decide those.
[[nodiscard]] Status verify_request_signature(const Request& request, const Key256& key);

}  // namespace lab::security
