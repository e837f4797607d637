// The report's section on the demo's project run: on each stage, how long the
// agent processes took, how each task ended, what the auditor saw, and whether
// the stage's own audit log verified.
#pragma once

#include <ostream>

#include "runner/demo_run.h"

namespace lab::runner {

void write_demo_section(std::ostream& html, const DemoSummary& demo);

}  // namespace lab::runner
