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
#include "runner/process.h"

namespace lab::bench {

struct CpuTimes {
  double user_seconds = 0;
  double system_seconds = 0;
};

class ServerProcess {
 public:
  // `lab serve --stage N --threads T --in-memory` (stage 2 with bcrypt cost 4: logins are set-up, not the workload).
  static Result<ServerProcess> start_stage(int stage, int threads, const std::filesystem::path& work_dir);
  // redis-server on a free loopback port, nothing saved.
  static Result<ServerProcess> start_redis(const std::filesystem::path& work_dir);

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  CpuTimes cpu() const;                // utime and stime so far
  std::size_t resident_bytes() const;  // VmRSS

 private:
  ServerProcess(runner::ChildProcess process, std::uint16_t port) : process_(std::move(process)), port_(port) {}

  runner::ChildProcess process_;
  std::uint16_t port_ = 0;
};

// CPU time this process (the benchmark's client) has used so far.
CpuTimes own_cpu();

}  // namespace lab::bench
