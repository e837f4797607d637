#include "bench_command.h"

#include <ostream>

namespace lab::bench {

int run_bench(const BenchOptions& o, std::ostream& out) {
  if (!o.name.empty() && o.name != "hot-path" && o.name != "memory" && o.name != "stage3" && o.name != "stage4" &&
      o.name != "stage5") {
    out << "unknown benchmark '" << o.name << "' (known: hot-path, memory, stage3, stage4, stage5)\n";
    return 2;
  }
  if (o.name == "stage3") {
    out << "stage 3: signed requests, session validation, durable writes and logins, measured in one run\n";
    const auto figures = measure_stage3(o.stage3, out);
    print_stage3(figures, o.stage3, out);
    return figures.problems.empty() && figures.failed_requests == 0 ? 0 : 1;
  }
  if (o.name == "stage4") {
    out << "stage 4: requests through the balancer against redis-benchmark and stage 3, measured in one run\n";
    const auto figures = measure_stage4(o.stage4, out);
    print_stage4(figures, o.stage4, out);
    return figures.problems.empty() && figures.failed_requests == 0 ? 0 : 1;
  }
  if (o.name == "stage5") {
    out << "stage 5: the authenticated API against static answers, live subscribers and sign-ins, in one run\n";
    const auto figures = measure_stage5(o.stage5, out);
    print_stage5(figures, o.stage5, out);
    return figures.problems.empty() && figures.api_non_2xx == 0 ? 0 : 1;
  }
  bool ok = true;
  if (o.name.empty() || o.name == "hot-path") {
    out << "hot path: lab stages and redis-server, each a process of its own, on loopback\n";
    const auto results = measure_hot_path(o.hot_path, out);
    print_hot_path(results, o.hot_path, out);
    ok = ok && !results.empty();
    for (const auto& m : results) ok = ok && m.failed == 0;
  }
  if (o.name.empty() || o.name == "memory") {
    out << "\nmemory: idle connections and live sessions\n";
    const auto figures = measure_memory(o.memory, out);
    print_memory(figures, out);
    for (const auto& f : figures) ok = ok && f.reached > 0;
  }
  return ok ? 0 : 1;
}

}  // namespace lab::bench
