// `lab bench [hot-path|memory]`: the measurements behind the lab's speed and
// memory targets, each printed with the ratios it is judged by.
#pragma once

#include <iosfwd>
#include <string>

#include "hot_path.h"
#include "memory_footprint.h"

namespace lab::bench {

struct BenchOptions {
  std::string name;  // "hot-path", "memory", or empty for both
  HotPathOptions hot_path;
  MemoryOptions memory;
};

// Returns the exit status: 2 for an unknown name, 1 when a measurement could not run or saw failures.
int run_bench(const BenchOptions& options, std::ostream& out);

}  // namespace lab::bench
