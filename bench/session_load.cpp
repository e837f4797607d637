#include "session_load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

namespace lab::bench {
namespace {

bool answered_ok(const Result<std::string>& line) { return line && line->ends_with("\"status\":\"ok\"}"); }

// Sends `lines` over `connection`, `depth` at a time; adds to the counters.
void drive(net::LineClient& connection, const std::vector<std::string>& lines, int depth,
           std::atomic<std::uint64_t>& ok, std::atomic<std::uint64_t>& failed) {
  const std::size_t step = static_cast<std::size_t>(std::max(1, depth));
  std::string batch;
  for (std::size_t first = 0; first < lines.size(); first += step) {
    const std::size_t count = std::min(step, lines.size() - first);
    batch.clear();
    for (std::size_t i = first; i < first + count; ++i) (batch += lines[i]) += '\n';
    if (!connection.send_raw(batch).ok()) {
      failed += lines.size() - first;
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      auto answer = connection.read_line();
      if (!answer) {
        failed += lines.size() - first - i;
        return;
      }
      (answered_ok(answer) ? ok : failed) += 1;
    }
  }
}

}  // namespace

SessionLoadResult run_session_load(const std::vector<net::LineClient*>& connections,
                                   const std::vector<std::vector<std::string>>& lines, int depth) {
  const std::size_t n = std::min(connections.size(), lines.size());
  std::atomic<std::uint64_t> ok{0}, failed{0};
  std::latch ready(static_cast<std::ptrdiff_t>(n) + 1);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t c = 0; c < n; ++c) {
    threads.emplace_back([&, c] {
      ready.arrive_and_wait();
      drive(*connections[c], lines[c], depth, ok, failed);
    });
  }
  ready.arrive_and_wait();
  const auto start = std::chrono::steady_clock::now();
  for (auto& t : threads) t.join();
  SessionLoadResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.ok = ok.load();
  result.failed = failed.load();
  return result;
}

}  // namespace lab::bench
