// Stage 5 (web): the same coordinator behind an HTTPS front — a dashboard for people in a browser, a REST API
// for the pages and for agents — with the web's own session controls: ES256 access tokens bound to a hardened
// fingerprint cookie, rotating refresh tokens with reuse detection, revocation, CSRF tokens and an Origin check,
// security headers, a CORS allowlist and output encoding; on top of stage 3's accounts (Argon2id, throttle,
// lockout), rate limits, RBAC, input schemas, sealed durable state and audit log.
#pragma once

#include <cstdint>
#include <memory>

#include "coordinator/coordinator_server.h"

namespace lab::stage5 {

inline constexpr std::uint16_t kDefaultPort = 7105;

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

}  // namespace lab::stage5
