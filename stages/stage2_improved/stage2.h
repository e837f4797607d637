// Stage 2 (improved): the shared coordinator with the seed's 20 improvements
// and the gaps that still make it exploitable. "Better" is not "secure".
#pragma once

#include <memory>

#include "coordinator/coordinator_server.h"

namespace lab::stage2 {

inline constexpr std::uint16_t kDefaultPort = 7102;
inline constexpr int kDefaultBcryptCost = 10;

// The lab's users come from the embedded valid_credentials.json, hashed at
// start with config.bcrypt_cost (0 = kDefaultBcryptCost).
std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

}  // namespace lab::stage2
