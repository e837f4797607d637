// HaproxyProcess: the balancer of stage 4 as a child process (`haproxy -f <cfg> -db`, in the foreground) with a
// work directory of its own, and what its statistics page says about each coordinator — what failover tests
// watch while they kill and restart coordinators.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "runner/haproxy_config.h"
#include "runner/process.h"

namespace lab::runner {

inline constexpr const char* kHaproxyBinary = "/usr/sbin/haproxy";

struct HaproxyOptions {
  BalancerPlan plan;
  std::filesystem::path work_dir;  // created if missing; holds haproxy.cfg and haproxy.log
  std::filesystem::path binary = kHaproxyBinary;
  std::chrono::milliseconds start_deadline{5000};  // until the frontend accepts connections
};

// One backend server as the statistics page reports it.
struct BalancerServerState {
  std::string name;
  std::string status;  // "UP", "DOWN", "UP 1/2" / "DOWN 1/2" while a check streak runs, "MAINT", "no check"
  bool up() const { return status.starts_with("UP"); }
  bool down() const { return status.starts_with("DOWN"); }
};

// The server rows of `backend` in a `/stats;csv` page (header line "# pxname,svname,...,status,...").
Result<std::vector<BalancerServerState>> parse_haproxy_stats(std::string_view csv, std::string_view backend);

// `haproxy -c -f config`: OK when HAProxy accepts the file; otherwise its own words. Bounded by `deadline`.
Status check_haproxy_config(const std::filesystem::path& config, const std::filesystem::path& binary = kHaproxyBinary,
                            std::chrono::milliseconds deadline = std::chrono::milliseconds(10000));

class HaproxyProcess {
 public:
  // Writes the configuration, starts HAProxy and waits until the frontend accepts a connection.
  static Result<std::unique_ptr<HaproxyProcess>> start(const HaproxyOptions& options);
  ~HaproxyProcess();  // stops it

  std::uint16_t port() const { return options_.plan.port; }
  std::filesystem::path config_file() const { return options_.work_dir / "haproxy.cfg"; }
  std::filesystem::path log_file() const { return options_.work_dir / "haproxy.log"; }
  bool running() { return process_.running(); }

  // SIGTERM, then SIGKILL after `grace`. An error when HAProxy did not exit by itself with status 0.
  Status stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

  // Every backend server's state, read from the statistics listener (the plan must have one).
  Result<std::vector<BalancerServerState>> server_states(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) const;
  // Polls server_states() until `server` reports `status` ("UP", "DOWN"; a transitional "DOWN 1/2" does not
  // count); false at the deadline.
  bool wait_for_status(std::string_view server, std::string_view status, std::chrono::milliseconds deadline) const;

 private:
  explicit HaproxyProcess(HaproxyOptions options) : options_(std::move(options)) {}

  HaproxyOptions options_;
  ChildProcess process_;
};

}  // namespace lab::runner
