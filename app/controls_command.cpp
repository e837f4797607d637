#include "controls_command.h"

#include <iomanip>
#include <iostream>

#include "stage_registry.h"

namespace lab::app {

int run_controls_command(int stage_number, bool json) {
  const auto* stage = stages::find_servable_stage(stage_number);
  if (!stage) {
    std::cerr << "error: " << stages::unavailable_stage(stage_number) << "\n";
    return 2;
  }
  // Composed, not started: nothing listens, and what it needs on disk is temporary.
  auto inspected = stages::InspectedStage::compose(stage_number);
  if (!inspected) {
    std::cerr << "error: " << inspected.error().message << "\n";
    return 1;
  }
  const auto& chain = inspected->server().coordinator().guards();
  if (json) {
    std::cout << Json{{"stage", stage_number}, {"controls", chain.to_json()}}.dump(2) << std::endl;
    return 0;
  }
  std::cout << "Stage " << stage_number << " (" << stage->name << "): the controls every request passes, in order\n\n"
            << std::left << std::setw(27) << "control" << std::setw(24) << "phase" << std::setw(10) << "mode"
            << "fixes\n"
            << std::string(66, '-') << "\n";
  for (const auto& row : chain.rows()) {
    std::string fixes;
    for (const auto& id : row.fixes) fixes += (fixes.empty() ? "" : ", ") + id;
    std::cout << std::setw(27) << row.name << std::setw(24) << coordinator::to_string(row.phase) << std::setw(10)
              << coordinator::to_string(row.mode) << (fixes.empty() ? "-" : fixes) << "\n";
  }
  std::cout << "\nshadow: the control only records what it would refuse; the request is served.\n"
               "composition: how the stage is built, not a check of a request; switching it off rebuilds the stage "
               "without it.\n";
  return 0;
}

}  // namespace lab::app
