// One run of wrk (the packaged HTTP load generator) against a loopback HTTPS URL, bounded by its duration: the
// requests per second it reports, the 99th percentile of its latency, and the answers that were not 2xx.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace lab::bench {

struct WrkRun {
  double requests_per_second = 0;
  double p99_ms = 0;
  long long non_2xx = 0;  // "Non-2xx or 3xx responses"
  long long socket_errors = 0;
};

// `wrk -t THREADS -c CONNECTIONS -d SECONDS --latency [-H header]... URL`; the URL must be on 127.0.0.0/8.
// `paced_per_second` > 0 paces the connections (wrk's Lua `delay()`: each waits CONNECTIONS / RATE seconds before
// its next request), so that the latency is measured at that offered load rather than at saturation, where it is
// only the queue: every connection waits for the other 255.
Result<WrkRun> run_wrk(const std::string& url, int threads, int connections, std::chrono::seconds duration,
                       const std::vector<std::pair<std::string, std::string>>& headers, double paced_per_second = 0);

// Parses wrk's report (exposed for its test).
Result<WrkRun> parse_wrk_report(const std::string& report);

}  // namespace lab::bench
