// Throughput of the stages on one fixed authenticated workload, run side by
// side in one process so their ratio is measured under the same conditions.
#pragma once

#include <iosfwd>
#include <string>

namespace lab::bench {

struct ThroughputOptions {
  int connections = 50;
  int requests_per_connection = 20000;
  int server_threads = 1;
  int login_samples = 20;
};

struct ThroughputResult {
  int stage = 0;
  double requests_per_second = 0;
  double seconds = 0;
  unsigned long long ok = 0;
  unsigned long long failed = 0;
  double login_ms = 0;  // mean latency of one login (sequential)
  std::string error;    // set when the run could not happen
};

// Starts `stage` in-process on a free loopback port, logs one agent in per
// connection beforehand, then every connection sends get_project requests
// (signed where the stage wants signatures); every response must be ok.
ThroughputResult measure_stage_throughput(int stage, const ThroughputOptions& options);

// `lab bench [stage1|stage2]`: prints results and ratios; returns the exit status.
int run_bench(const std::string& name, const ThroughputOptions& options, std::ostream& out);

}  // namespace lab::bench
