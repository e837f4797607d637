// `lab matrix`: every attack against every chosen stage, as a terminal table
// (or JSON), optionally with out/report.html and out/matrix.json.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lab::app {

struct MatrixCommand {
  std::vector<int> stages;            // empty = every implemented stage
  std::vector<std::string> attacks;   // empty = all
  bool json = false;
  bool write_report = false;          // out/report.html + out/matrix.json
  std::filesystem::path out_dir = "out";
  bool color = false;
  bool ablation = false;              // also: each control of a secure stage off alone, its attacks run without it
  int jobs = 4;                       // cells side by side (0 = one per core); most wait on timers and sockets
};

// 0 when every cell is as the catalog expects (and every ablation cell gave a verdict), 1 otherwise, 2 on bad
// usage.
int run_matrix_command(const MatrixCommand& command);

}  // namespace lab::app
