// The stages the lab can run, by number.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "coordinator/coordinator_server.h"

namespace lab::stages {

struct StageInfo {
  int number;
  std::string name;        // "insecure"
  std::uint16_t default_port;
  bool deliberately_vulnerable;
  std::unique_ptr<coordinator::CoordinatorServer> (*make_server)(const coordinator::StageConfig& config);

  // "stages/stage1_insecure": where its composition, README and SECURITY_ANALYSIS live.
  std::string directory() const { return "stages/stage" + std::to_string(number) + "_" + name; }
};

const std::vector<StageInfo>& implemented_stages();
const StageInfo* find_stage(int number);
// The stage composed with `config` (its disabled controls switched off), not yet started.
Result<std::unique_ptr<coordinator::CoordinatorServer>> compose_stage(int number, const coordinator::StageConfig& config);
// Null when the stage is not implemented or `config` cannot be applied.
std::unique_ptr<coordinator::CoordinatorServer> make_stage_server(int number, const coordinator::StageConfig& config);

}  // namespace lab::stages
