// The request hot path, measured side by side in one run: server CPU per
// request (user and system, from /proc) and requests/s for each stage on two
// workloads (an empty project and one with 4 tasks), one request at a time
// and pipelined, on 1 and 2 io threads — and the same client against
// redis-server GET of a value as large as each response, the anchor of what a
// C server costs per round trip on this machine. Each figure is the median of
// several rounds, interleaved so that noise on the machine falls on all alike; each ratio is the median of the
// rounds' ratios between cells measured one after the other.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace lab::bench {

struct HotPathOptions {
  int connections = 16;
  int requests = 2000;          // per connection and measurement
  int pipeline = 16;            // the pipelined measurements' depth
  int rounds = 3;               // every measurement this many times, interleaved; the table shows the median
  std::vector<int> stages{1, 2};
  std::vector<int> io_threads{1, 2};
  std::filesystem::path work_dir = "out/bench";
};

struct Measurement {
  std::string server;    // "stage 1", "redis"
  std::string workload;  // "empty project", "4 tasks"
  int io_threads = 1;
  int pipeline = 1;
  std::size_t response_bytes = 0;
  double requests_per_second = 0;
  double server_user_us = 0;    // per request
  double server_system_us = 0;  // per request
  double client_cpu_share = 0;  // of one core, over the run
  std::uint64_t failed = 0;
  // Each round's requests/s and server CPU per request (µs), in round order: a ratio between two cells is taken
  // round by round, of measurements made seconds apart, so that noise lasting longer than that cancels out.
  std::vector<double> round_rates;
  std::vector<double> round_server_us;
  double server_us() const { return server_user_us + server_system_us; }
};

// Runs every measurement; progress lines go to `log`. Empty when nothing could run (the reason is logged).
std::vector<Measurement> measure_hot_path(const HotPathOptions& options, std::ostream& log);
// The table and the ratios the lab's targets are stated in.
void print_hot_path(const std::vector<Measurement>& results, const HotPathOptions& options, std::ostream& out);

}  // namespace lab::bench
