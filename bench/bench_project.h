// The project every request benchmark reads: created by a logged-in lead
// (a coordinator) with `tasks` tasks across the four specialties.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "net/protocol_client.h"

namespace lab::bench {

// The new project's id.
Result<std::string> create_bench_project(net::ProtocolClient& lead, const std::string& name, int tasks);

// `count` get_project request lines for `reader`, each signed now when its stage signs (a nonce of its own);
// request ids continue from `sent`, unique over a run.
std::vector<std::string> get_project_lines(net::ProtocolClient& reader, const std::string& project_id, int count,
                                           int& sent);

}  // namespace lab::bench
