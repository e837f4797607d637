#include "cpu_watch.h"

#include <time.h>

namespace lab::bench {

CpuWatch::CpuWatch(const ServerProcess& server)
    : server_(server), server_before_(server.cpu()), client_before_(own_cpu()) {}

CpuPerRequest CpuWatch::per_request(double requests, double wall_seconds) const {
  const CpuTimes server_after = server_.cpu(), client_after = own_cpu();
  CpuPerRequest m;
  if (requests > 0) {
    m.server_user_us = (server_after.user_seconds - server_before_.user_seconds) / requests * 1e6;
    m.server_system_us = (server_after.system_seconds - server_before_.system_seconds) / requests * 1e6;
  }
  const double client = (client_after.user_seconds + client_after.system_seconds) -
                        (client_before_.user_seconds + client_before_.system_seconds);
  m.client_cpu_share = wall_seconds > 0 ? client / wall_seconds : 0;
  return m;
}

double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace lab::bench
