// The HAProxy configuration in front of stage 4's coordinators: one TCP frontend, one backend of coordinator
// instances, optionally a statistics listener on loopback. HAProxy only passes bytes through (mode tcp), so
// mutual TLS stays end to end between agent and coordinator, and it opens every connection to a coordinator with
// a PROXY protocol v2 header, so the coordinator still learns the agent's address for its address binding.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace lab::runner {

// Section names in the written configuration; the statistics CSV names its rows by them.
inline constexpr const char* kBalancerFrontend = "lab_balancer";
inline constexpr const char* kBalancerBackend = "coordinators";
inline constexpr const char* kBalancerStats = "stats";

struct BalancerServer {
  std::string name;     // e.g. "coordinator1": letters, digits, '.', '_', '-'
  std::string address;  // IPv4 address or host name
  std::uint16_t port = 0;
};

// The statistics page (`/stats;csv` on it gives one CSV row per server). It names the backend's topology and
// has no authentication, so it is only ever bound to a loopback address.
struct BalancerStats {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
};

struct BalancerPlan {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 7104;  // the stage's default port: where agents connect
  std::vector<BalancerServer> servers;
  std::optional<BalancerStats> stats;
  int max_connections = 4096;  // for the whole process and the frontend: a flood queues instead of exhausting fds
  std::chrono::milliseconds check_interval{300};
  // Each accepted and closed connection on stderr as well (status changes of servers are always logged).
  bool log_connections = false;
};

// The haproxy.cfg text for `plan`, or INVALID_FIELD naming the value that cannot go into a configuration
// (an empty or unsafe name or address, a port of 0, a duplicate server, a non-loopback statistics address,
// limits out of range).
Result<std::string> haproxy_config(const BalancerPlan& plan);

}  // namespace lab::runner
