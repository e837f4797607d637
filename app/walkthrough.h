// The collaboration walkthrough of `lab demo`: one stage's coordinator, four
// workers and the auditor as separate processes carry a project from creation
// to every task completed, then the account of what happened is printed.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "runner/demo_run.h"

namespace lab::app {

struct WalkthroughOptions {
  int stage = 1;
  std::filesystem::path out_dir = "out/demo";
  std::filesystem::path project_file;  // empty = the embedded valid_project.json
  int timeout_s = 60;
  bool color = false;
};

// The walkthrough on one stage; `completed` when every task finished.
runner::DemoRun run_walkthrough(const WalkthroughOptions& options, std::ostream& out);

// The walkthrough on each of `stages` side by side (each in `options.out_dir / "stageN"`), printed one after
// the other in the order given; what each did goes to runner::demo_summary_file(options.out_dir), where the
// report written after it finds it. 0 when every one completed.
int run_walkthroughs(const WalkthroughOptions& options, const std::vector<int>& stages, std::ostream& out);

// The same on every implemented stage.
int run_walkthroughs(const WalkthroughOptions& options, std::ostream& out);

}  // namespace lab::app
