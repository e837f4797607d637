// Stage 2 (improved): the shared coordinator with the seed's 20 improvements
// and the gaps that still make it exploitable. "Better" is not "secure".
#pragma once

#include <memory>
#include <string_view>

#include "coordinator/coordinator_server.h"

namespace lab::stage2 {

inline constexpr std::uint16_t kDefaultPort = 7102;
inline constexpr int kDefaultBcryptCost = 10;

struct Stage2Settings {
  std::string_view credentials_json;  // empty = the embedded valid_credentials.json
  int bcrypt_cost = kDefaultBcryptCost;
};

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config,
                                                            const Stage2Settings& settings = {});

}  // namespace lab::stage2
