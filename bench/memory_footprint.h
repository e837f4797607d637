// Resident memory of a stage per idle connection and per live session: the
// server's VmRSS before and after opening N connections that send nothing,
// and before and after N logins (one agent, N sessions), for each N.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace lab::bench {

struct MemoryOptions {
  std::vector<int> counts{1000, 100000};
  std::vector<int> stages{1, 2};
  // Stage 2 hashes a password per login (bcrypt, cost 4 here): its session counts stop at this.
  int max_hashed_logins = 10000;
  std::filesystem::path work_dir = "out/bench";
};

struct MemoryFigure {
  int stage = 0;
  std::string what;  // "idle connection", "live session"
  int asked = 0;
  int reached = 0;   // fewer when a limit (file descriptors, hashing time) stopped it; said in the table
  double bytes_each = 0;
};

std::vector<MemoryFigure> measure_memory(const MemoryOptions& options, std::ostream& log);
void print_memory(const std::vector<MemoryFigure>& figures, std::ostream& out);

}  // namespace lab::bench
