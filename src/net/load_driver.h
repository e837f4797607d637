// LoadDriver: many concurrent protocol connections from one process, bounded
// in count and time. Each connection sends its setup lines, then
// `requests_per_connection` requests — one at a time, or `pipeline` written
// together before their responses are read — checking every response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lab::net {

struct LoadPlan {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int connections = 1;
  int requests_per_connection = 1;
  // Lines sent (and answered) before the measured requests, e.g. a login.
  std::function<std::vector<std::string>(int connection)> setup;
  // The request line for (connection, index), without or with '\n'.
  std::function<std::string(int connection, int index)> make_request;
  // Judges a response (its lines joined by '\n'); null accepts any. Called from the driver's thread.
  std::function<bool(int connection, int index, std::string_view response)> check;
  // Requests written back to back before their responses are read (1 = one at a time).
  int pipeline = 1;
  // Lines one response takes (a Redis bulk reply takes 2).
  int lines_per_response = 1;
  std::chrono::seconds deadline{120};
};

struct LoadResult {
  std::uint64_t ok = 0;               // responses the check accepted
  std::uint64_t rejected = 0;         // responses the check refused
  std::uint64_t connect_failures = 0;
  std::uint64_t transport_failures = 0;
  bool timed_out = false;
  double seconds = 0;                 // wall time of the measured phase
  double requests_per_second() const { return seconds > 0 ? static_cast<double>(ok + rejected) / seconds : 0; }
};

// Runs the plan on one thread and returns when every connection is done or the deadline passed.
LoadResult run_load(const LoadPlan& plan);

}  // namespace lab::net
