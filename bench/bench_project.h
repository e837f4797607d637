// The project every request benchmark reads: created by a logged-in lead
// (a coordinator) with `tasks` tasks across the four specialties.
#pragma once

#include <string>

#include "core/result.h"
#include "net/protocol_client.h"

namespace lab::bench {

// The new project's id.
Result<std::string> create_bench_project(net::ProtocolClient& lead, const std::string& name, int tasks);

}  // namespace lab::bench
