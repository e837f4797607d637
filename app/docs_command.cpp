#include "docs_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/catalog.h"
#include "catalog/docs_generator.h"
#include "catalog/markers.h"
#include "core/file_io.h"
#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;

int run_docs_command(const std::filesystem::path& root, bool check) {
  if (!std::filesystem::exists(root / "catalog" / "vulnerabilities.json")) {
    std::cerr << "error: " << root << " is not the lab's source directory (no catalog/vulnerabilities.json)\n";
    return 2;
  }
  auto catalog = catalog::parse_catalog(read_file(root / "catalog" / "vulnerabilities.json").value_or(""));
  if (!catalog) {
    std::cerr << "error: " << catalog.error().message << "\n";
    return 1;
  }
  std::vector<catalog::StageDescription> stages;
  for (const auto& s : implemented_stages()) {
    stages.push_back({s.number, s.name, s.directory()});
  }
  int stale = 0;
  for (const auto& [path, content] : catalog::generate_docs(*catalog, catalog::scan_markers(root), stages)) {
    const auto file = root / path;
    if (read_file(file) == content) continue;
    if (check) {
      std::cerr << path << " is out of date: run ./lab docs\n";
      ++stale;
    } else {
      if (!write_file(file, content)) {
        std::cerr << "cannot write " << path << "\n";
        return 1;
      }
      std::cout << "wrote " << path << "\n";
    }
  }
  return stale == 0 ? 0 : 1;
}

}  // namespace lab::app
