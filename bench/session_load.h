// Load over logged-in connections, one thread each: every connection sends
// request lines made before the clock starts (stage 3's each signed with a
// nonce of its own, since the stage refuses a replay), `depth` written
// together before their answers are read. An answer counts as ok when it ends
// "status":"ok"}. Speaks mutual TLS as well as plain TCP (the connections are
// the ones the logins opened), so every stage is driven by the same client.
// Bounded by the lines given and by each connection's read deadline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/line_client.h"

namespace lab::bench {

struct SessionLoadResult {
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;  // refused answers, and lines a broken connection never got answered
  double seconds = 0;        // wall time from the first line sent to the last answer read
  double requests_per_second() const { return seconds > 0 ? static_cast<double>(ok + failed) / seconds : 0; }
};

// `lines[c]` go over `connections[c]`.
SessionLoadResult run_session_load(const std::vector<net::LineClient*>& connections,
                                   const std::vector<std::vector<std::string>>& lines, int depth);

}  // namespace lab::bench
