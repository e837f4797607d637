// A server under measurement, as a process of its own, so that its CPU time
// and resident memory are its own (/proc/PID): a lab stage (`lab serve`) or
// the redis-server anchor. Loopback only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/line_client.h"
#include "runner/process.h"

namespace lab::bench {

struct CpuTimes {
  double user_seconds = 0;
  double system_seconds = 0;
};

// How a stage is started for a measurement.
struct StageLaunch {
  int stage = 1;
  int threads = 1;
  std::filesystem::path work_dir = "out/bench";
  // false: the stage keeps its state in work_dir/stage<N>-state, emptied first (stage 3: its sealed journal).
  bool in_memory = true;
  std::vector<std::string> extra_args;  // further `lab serve` flags, e.g. --disable-control NAME
  std::filesystem::path binary;         // the lab executable; empty = this one
};

class ServerProcess {
 public:
  // `lab serve --stage N --threads T --in-memory` (stage 2 with bcrypt cost 4: logins are set-up, not the workload;
  // stage 3 with a lab CA of its own in work_dir/stage3-ca, made fresh).
  static Result<ServerProcess> start(const StageLaunch& launch);
  static Result<ServerProcess> start_stage(int stage, int threads, const std::filesystem::path& work_dir) {
    return start(StageLaunch{.stage = stage, .threads = threads, .work_dir = work_dir});
  }
  // redis-server on a free loopback port, nothing saved.
  static Result<ServerProcess> start_redis(const std::filesystem::path& work_dir);

  std::uint16_t port() const { return port_; }
  // Where clients connect: plain TCP, or mutual TLS trusting the stage's CA (a login's ClientProfile then adds
  // the agent's own certificate from the same directory).
  net::ClientOptions endpoint() const;
  std::filesystem::path certificate_dir() const { return certificate_dir_; }
  pid_t pid() const { return process_.pid(); }
  CpuTimes cpu() const;                // utime and stime so far
  // The server's private resident memory (RssAnon): what it allocated, without the pages of its own program it
  // has read in, which grow the first time a code path runs and say nothing of what it holds per connection.
  std::size_t private_resident_bytes() const;

 private:
  ServerProcess(runner::ChildProcess process, std::uint16_t port, std::filesystem::path certificate_dir = {})
      : process_(std::move(process)), port_(port), certificate_dir_(std::move(certificate_dir)) {}

  runner::ChildProcess process_;
  std::uint16_t port_ = 0;
  std::filesystem::path certificate_dir_;  // stages with mutual TLS only
};

// CPU time this process (the benchmark's client) has used so far.
CpuTimes own_cpu();

}  // namespace lab::bench
