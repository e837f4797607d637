#include "matrix_command.h"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "catalog/catalog.h"
#include "core/clock.h"
#include "runner/matrix.h"
#include "runner/matrix_table.h"
#include "runner/process.h"
#include "runner/report_html.h"
#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;

int run_matrix_command(const MatrixCommand& c) {
  const auto& catalog = catalog::builtin_catalog();
  runner::MatrixOptions o;
  o.binary = runner::self_executable();
  o.work_dir = c.out_dir / "matrix";
  o.only = c.attacks;
  o.jobs = c.jobs;
  o.stages = c.stages;
  if (o.stages.empty()) {
    for (const auto& s : implemented_stages()) o.stages.push_back(s.number);
  }
  for (int s : o.stages) {
    if (!find_stage(s)) {
      std::cerr << "error: stage " << s << " is not implemented yet\n";
      return 2;
    }
  }
  for (const auto& a : o.only) {
    if (!catalog.find_attack(a)) {
      std::cerr << "error: unknown attack '" << a << "'\n";
      return 2;
    }
  }
  const bool tty = isatty(STDERR_FILENO);
  o.on_start = [&](int stage, const std::string& attack, int index, int total) {
    if (c.json && !tty) return;
    std::cerr << (tty ? "\r\033[K" : "") << "[" << index << "/" << total << "] stage " << stage << " " << attack
              << (tty ? " …" : "\n") << std::flush;
  };
  const auto result = runner::run_matrix(catalog, o);
  if (tty) std::cerr << "\r\033[K" << std::flush;

  if (c.json) {
    std::cout << result.to_json() << std::endl;
  } else {
    runner::print_matrix_table(result, std::cout, c.color);
  }
  if (c.write_report) {
    std::filesystem::create_directories(c.out_dir);
    std::ofstream(c.out_dir / "matrix.json") << result.to_json() << "\n";
    std::ofstream(c.out_dir / "report.html") << runner::render_report_html(result, catalog, iso8601(system_clock().now()));
    if (!c.json) {
      std::cout << "report: " << (c.out_dir / "report.html").string() << "   data: " << (c.out_dir / "matrix.json").string()
                << "\n";
    }
  }
  return result.drift_count() == 0 ? 0 : 1;
}

}  // namespace lab::app
