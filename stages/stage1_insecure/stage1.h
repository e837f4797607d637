// Stage 1 (insecure): the shared coordinator composed with every deliberate
// weakness of the seed's 25-item list. Teaching material, never a deployment.
#pragma once

#include <memory>

#include "coordinator/coordinator_server.h"

namespace lab::stage1 {

inline constexpr std::uint16_t kDefaultPort = 7101;

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

}  // namespace lab::stage1
