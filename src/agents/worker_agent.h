// WorkerAgent: registers with a specialty, claims matching submitted tasks,
// does the work on the task's input and reports the result.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "client/coordinator_channel.h"
#include "client/session.h"
#include "net/line_client.h"

namespace lab::agents {

struct WorkerOptions;
// Opens a signed-in channel for a coordinator that does not speak the line protocol (stage 5); set by whoever
// links that transport (`lab worker`, the tests): web::WebProtocolClient::sign_in.
using OpenChannel = std::function<Result<std::unique_ptr<client::CoordinatorChannel>>(const WorkerOptions&)>;

struct WorkerOptions {
  int stage = 1;
  net::ClientOptions endpoint;
  client::Identity identity;
  Specialty specialty = Specialty::kDataAnalysis;
  std::chrono::milliseconds poll_interval{200};
  int max_tasks = 0;                    // stop after this many; 0 = no limit
  std::chrono::seconds idle_exit{0};   // stop after this long without work; 0 = never
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const std::string&)> log;  // one human-readable line per step
  OpenChannel open_channel;  // when set, used instead of the line protocol
};

struct WorkerReport {
  int completed = 0;
  int failed = 0;
  int lost_races = 0;  // tasks another worker claimed first
};

// Runs until stopped, idle or max_tasks reached. Transport failures are
// retried with a bounded back-off; an error is returned if the coordinator
// stays unreachable.
Result<WorkerReport> run_worker(const WorkerOptions& options);

}  // namespace lab::agents
