// The collaboration walkthrough of `lab demo`: one stage's coordinator, four
// workers and the auditor as separate processes carry a project from creation
// to every task completed, then the account of what happened is printed.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

namespace lab::app {

struct WalkthroughOptions {
  int stage = 1;
  std::filesystem::path out_dir = "out/demo";
  std::filesystem::path project_file;  // empty = the embedded valid_project.json
  int timeout_s = 60;
  bool color = false;
};

// Returns 0 when every task completed, 1 otherwise.
int run_walkthrough(const WalkthroughOptions& options, std::ostream& out);

// The walkthrough on each of `stages` side by side (each in `options.out_dir / "stageN"`), printed one after
// the other in the order given. 0 when every one completed.
int run_walkthroughs(const WalkthroughOptions& options, const std::vector<int>& stages, std::ostream& out);

}  // namespace lab::app
