// The serve-options table: every StageConfig field an operator sets from the
// command line, once — its flag, help, bounds and the stages that read it.
// `lab serve` registers its flags from it, the runner renders a config back
// into arguments from it, and a start with an option the stage would ignore
// is refused, so nothing is silently dropped on the way to a stage.
#pragma once

#include <chrono>
#include <climits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "coordinator/stage_config.h"
#include "core/result.h"

namespace lab::coordinator {

struct ServeOption {
  using Field = std::variant<std::string StageConfig::*, int StageConfig::*, std::chrono::milliseconds StageConfig::*,
                             std::vector<std::string> StageConfig::*>;
  std::string_view flag;       // "--idle-timeout-ms"
  std::string_view help;
  std::vector<int> stages;     // the stages that read it; empty = every stage
  Field field;
  long long min = 0;           // bounds of a number or a duration in ms
  long long max = INT_MAX;

  bool read_by(int stage) const;
};

std::span<const ServeOption> serve_options();

// Refuses an option set away from its default that `stage` does not read.
Status check_options_for_stage(const StageConfig& config, int stage);
// The arguments that give `stage` this config: every option the stage reads
// whose value differs from the default (state dir, port and clock aside).
std::vector<std::string> to_serve_args(const StageConfig& config, int stage);

}  // namespace lab::coordinator
