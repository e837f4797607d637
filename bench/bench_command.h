// `lab bench [hot-path|memory|stage3|stage4|stage5]`: the measurements behind the lab's
// speed and memory targets, each printed with the ratios it is judged by.
#pragma once

#include <iosfwd>
#include <string>

#include "hot_path.h"
#include "memory_footprint.h"
#include "stage3_bench.h"
#include "stage4_bench.h"
#include "stage5_bench.h"

namespace lab::bench {

struct BenchOptions {
  std::string name;  // "hot-path", "memory", "stage3", "stage4", "stage5", or empty for hot-path and memory
  HotPathOptions hot_path;
  MemoryOptions memory;
  Stage3Options stage3;
  Stage4Options stage4;
  Stage5Options stage5;
};

// Returns the exit status: 2 for an unknown name, 1 when a measurement could not run or saw failures.
int run_bench(const BenchOptions& options, std::ostream& out);

}  // namespace lab::bench
