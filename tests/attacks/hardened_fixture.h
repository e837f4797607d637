// A deliberately hardened coordinator for tests: stage 2's pieces plus
// test-only guards (address binding, absolute lifetime, replay memory, rate
// limit, session cap, lockout, revocation on role change, strict roles,
// version checks, content checks, idle connection timeout). It exists so that
// every attack's oracle is shown to answer "blocked" when a control holds.
#pragma once

#include <memory>

#include "attacks/attack.h"
#include "coordinator/coordinator_server.h"

namespace lab::testing {

// A fixture server on an ephemeral loopback port, with `settings` for its limits.
// With a state directory, state is sealed (secretbox, `sealing_key`) and
// written through, and failed logins and refused requests go to audit.jsonl.
// With `tls`, the fixture speaks TLS 1.3 only.
std::unique_ptr<coordinator::CoordinatorServer> make_hardened_server(
    const attacks::StageSettings& settings, const std::filesystem::path& state_dir = {},
    const std::string& sealing_key = {}, const std::optional<net::TlsServerFiles>& tls = std::nullopt);

}  // namespace lab::testing
