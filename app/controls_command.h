// `lab controls --stage N [--json]`: the stage's chain of controls in the order
// they run — name, phase, mode and the catalog entries each one fixes.
#pragma once

namespace lab::app {

// 0 on success, 2 for a stage that is not implemented.
int run_controls_command(int stage, bool json);

}  // namespace lab::app
