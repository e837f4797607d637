// CPU time over a stretch of measured work: a server process's (from
// /proc/PID, via ServerProcess) and this process's, turned into figures per
// request; and the calling thread's own CPU time, for work measured in
// process on one core. Figures per CPU second do not move when other work
// on the machine slows the wall clock.
#pragma once

#include "server_process.h"

namespace lab::bench {

struct CpuPerRequest {
  double server_user_us = 0;    // per request
  double server_system_us = 0;  // per request
  double client_cpu_share = 0;  // of one core, over the wall time
  double server_us() const { return server_user_us + server_system_us; }
  // Requests one core of the server answers per second at this cost; 0 when nothing was measured.
  double per_server_core_second() const { return server_us() > 0 ? 1e6 / server_us() : 0; }
};

// Started on construction; `per_request` reads the clocks again.
class CpuWatch {
 public:
  explicit CpuWatch(const ServerProcess& server);
  CpuPerRequest per_request(double requests, double wall_seconds) const;

 private:
  const ServerProcess& server_;
  CpuTimes server_before_;
  CpuTimes client_before_;
};

// CPU seconds the calling thread has used so far.
double thread_cpu_seconds();

}  // namespace lab::bench
