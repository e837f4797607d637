// The hot-path table and the ratios the lab's performance targets are stated in.
#include <algorithm>
#include <iomanip>
#include <optional>
#include <ostream>

#include "hot_path.h"
#include "spread.h"

namespace lab::bench {
namespace {

std::optional<Measurement> find(const std::vector<Measurement>& results, const std::string& server,
                                const std::string& workload, int threads, int pipeline) {
  for (const auto& m : results) {
    if (m.server == server && m.workload == workload && m.io_threads == threads && m.pipeline == pipeline) return m;
  }
  return std::nullopt;
}

// a's figure over b's, round by round (each pair measured seconds apart), with its median and range.
Spread paired(const std::optional<Measurement>& a, const std::optional<Measurement>& b,
              const std::vector<double> Measurement::*figure) {
  Spread s;
  if (!a || !b) return s;
  const auto& x = (*a).*figure;
  const auto& y = (*b).*figure;
  for (std::size_t r = 0; r < std::min(x.size(), y.size()); ++r) {
    if (y[r] > 0) s.rounds.push_back(x[r] / y[r]);
  }
  return s;
}

void ratio_line(std::ostream& out, const std::string& what, const std::optional<Measurement>& a,
                const std::optional<Measurement>& b, const std::vector<double> Measurement::*figure,
                const std::string& target) {
  print_figure(out, what, paired(a, b, figure), 2, "", target);
}

constexpr auto cpu = &Measurement::round_server_us;
constexpr auto rate = &Measurement::round_rates;

}  // namespace

void print_hot_path(const std::vector<Measurement>& results, const HotPathOptions& o, std::ostream& out) {
  out << "\n" << o.connections << " connections x " << o.requests << " get_project (or GET) per measurement, median of " << o.rounds
      << " interleaved round(s); server CPU from /proc/PID/stat, per request\n\n"
      << std::left << std::setw(9) << "server" << std::setw(15) << "workload" << std::right << std::setw(5) << "io"
      << std::setw(6) << "pipe" << std::setw(8) << "resp B" << std::setw(11) << "req/s" << std::setw(9) << "user µs"
      << std::setw(9) << "sys µs" << std::setw(10) << "total µs" << std::setw(11) << "client CPU" << std::setw(8)
      << "failed\n";
  for (const auto& m : results) {
    out << std::left << std::setw(9) << m.server << std::setw(15) << m.workload << std::right << std::setw(5)
        << m.io_threads << std::setw(6) << m.pipeline << std::setw(8) << m.response_bytes << std::fixed
        << std::setprecision(0) << std::setw(11) << m.requests_per_second << std::setprecision(2) << std::setw(9)
        << m.server_user_us << std::setw(9) << m.server_system_us << std::setw(10) << m.server_us() << std::setw(10)
        << std::setprecision(0) << m.client_cpu_share * 100 << "%" << std::setw(7) << m.failed << "\n";
  }
  const int deep = o.pipeline;
  out << "\nratios (measured in this run: the median of the rounds' ratios [their range])\n";
  ratio_line(out, "server CPU/request, stage 1 (4 tasks) / redis GET, one at a time",
        find(results, "stage 1", "4 tasks", 1, 1), find(results, "redis", "4 tasks", 1, 1), cpu, "<= 1.5");
  ratio_line(out, "requests/s pipelined " + std::to_string(deep) + " deep, stage 1 (4 tasks) / redis GET",
        find(results, "stage 1", "4 tasks", 1, deep), find(results, "redis", "4 tasks", 1, deep), rate, ">= 0.3");
  ratio_line(out, "requests/s, stage 2 / stage 1 (4 tasks, one at a time)", find(results, "stage 2", "4 tasks", 1, 1),
        find(results, "stage 1", "4 tasks", 1, 1), rate, ">= 0.8");
  ratio_line(out, "requests/s, stage 2 / stage 1 (4 tasks, pipelined " + std::to_string(deep) + " deep)",
             find(results, "stage 2", "4 tasks", 1, deep), find(results, "stage 1", "4 tasks", 1, deep), rate, "");
  ratio_line(out, "requests/s, stage 2 / stage 1 (empty project, one at a time)",
        find(results, "stage 2", "empty project", 1, 1), find(results, "stage 1", "empty project", 1, 1), rate,
        ">= 0.8");
  ratio_line(out, "server CPU/request, stage 1 (4 tasks) on 2 io threads / on 1", find(results, "stage 1", "4 tasks", 2, 1),
        find(results, "stage 1", "4 tasks", 1, 1), cpu, "below 1 for 2 io threads to be the default");
}

}  // namespace lab::bench
