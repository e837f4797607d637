// Documents generated from the catalog and the code markers, so that prose
// cannot drift from data: each stage's SECURITY_ANALYSIS.md, QUICK_REFERENCE.md,
// the cheat sheet and data/sample_data/attack_scenarios.json.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/markers.h"

namespace lab::catalog {

struct StageDescription {
  int number;
  std::string name;       // "insecure"
  std::string directory;  // "stages/stage1_insecure"
};

// Path (relative to the source root) -> content of every generated document.
std::map<std::string, std::string> generate_docs(const Catalog& catalog, const std::vector<Marker>& markers,
                                                 const std::vector<StageDescription>& stages);

}  // namespace lab::catalog
