// The stages the lab can run, by number.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/coordinator_server.h"
#include "runner/redis_deployment.h"
#include "core/temporary_directory.h"

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

// The stages the attack matrix, the demo and the generated documents cover: built, and every catalog entry
// proven against them.
const std::vector<StageInfo>& implemented_stages();
// The implemented stage `number`, or null.
const StageInfo* find_stage(int number);
// A stage `lab serve` and `lab controls` run: an implemented one, or one being built that the matrix, the demo and
// the generated documents do not cover yet (stage 5, web). Null for any other number.
const StageInfo* find_servable_stage(int number);
// Why `number` cannot be used, for an error message: a planned stage is named as planned, any other number
// gets the stages that exist.
std::string unavailable_stage(int number);
// The stage composed with `config` (its disabled controls switched off), not yet started.
Result<std::unique_ptr<coordinator::CoordinatorServer>> compose_stage(int number, const coordinator::StageConfig& config);
// Null when the stage is not implemented or `config` cannot be applied.
std::unique_ptr<coordinator::CoordinatorServer> make_stage_server(int number, const coordinator::StageConfig& config);

// A stage composed only to be looked at (its chain of controls), never started. What composing it needs on
// disk (stage 3's lab CA, sealed state and audit log) lives in a temporary directory removed with it.
class InspectedStage {
 public:
  static Result<InspectedStage> compose(int number);

  coordinator::CoordinatorServer& server() const { return *server_; }

 private:
  InspectedStage() = default;
  // Declared first, so destroyed last: the server lets go of its files (and its Redis) before they go.
  std::optional<TemporaryDirectory> dir_;
  std::optional<runner::RedisDeployment> redis_;  // stage 4: a single Redis node of its own, in dir_
  std::unique_ptr<coordinator::CoordinatorServer> server_;
};

}  // namespace lab::stages
