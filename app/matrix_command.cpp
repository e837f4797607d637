#include "matrix_command.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "catalog/catalog.h"
#include "catalog/markers.h"
#include "core/clock.h"
#include "runner/ablation.h"
#include "runner/cell_markers.h"
#include "runner/demo_run.h"
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

namespace {

// The stage's chain as the ablation switches it; the coordinator itself says which control cannot go.
Result<std::vector<runner::ControlToAblate>> controls_of(int stage) {
  auto inspected = stages::InspectedStage::compose(stage);
  if (!inspected) return inspected.error();
  auto& coordinator = inspected->server().coordinator();
  std::vector<runner::ControlToAblate> controls;
  for (const auto& row : coordinator.guards().rows()) {
    runner::ControlToAblate control{row.name, row.fixes, {}};
    if (auto off = coordinator.set_control_mode(row.name, coordinator::GuardMode::kOff); !off) {
      control.not_switchable = off.error().message;
    } else {
      (void)coordinator.set_control_mode(row.name, row.mode);  // a throwaway stage, but left as it was
    }
    controls.push_back(std::move(control));
  }
  return controls;
}

// The matrix's JSON (docs/PROTOCOL.md §11), with an "ablation" array when there is one.
std::string with_ablations(const runner::MatrixResult& result, const std::vector<runner::AblationResult>& ablations) {
  if (ablations.empty()) return result.to_json();
  Json out = Json::parse(result.to_json());
  out["ablation"] = Json::array();
  for (const auto& a : ablations) out["ablation"].push_back(a.to_json());
  return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

// The lab's source tree, where the cells' code markers are: the working directory, as for `lab docs` (`./lab`
// runs from the clone), or else the clone the running binary was built in (build/<preset>/app/lab).
std::optional<std::filesystem::path> source_root() {
  const std::filesystem::path candidates[] = {".", runner::self_executable().parent_path() / ".." / ".." / ".."};
  for (const auto& root : candidates) {
    if (std::filesystem::exists(root / "catalog" / "vulnerabilities.json")) return root.lexically_normal();
  }
  return std::nullopt;
}

// The markers the report's cells link to, as paths from the report's directory into the source tree.
runner::SourceMarkers source_markers(const std::filesystem::path& report_dir) {
  const auto root = source_root();
  if (!root) return {};
  return {catalog::scan_markers(*root), runner::source_root_href(report_dir, *root)};
}

}  // namespace

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
      std::cerr << "error: " << stages::unavailable_stage(s) << "\n";
      return 2;
    }
  }
  for (const auto& a : o.only) {
    if (!catalog.find_attack(a)) {
      std::cerr << "error: unknown attack '" << a << "'. Known attacks:\n";
      for (const auto& known : catalog.attacks) std::cerr << "  " << known.id << "  " << known.title << "\n";
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
  std::vector<runner::AblationResult> ablations;
  if (c.ablation) {
    for (int s : o.stages) {
      if (find_stage(s)->deliberately_vulnerable) continue;  // its controls are not the point: its holes are
      auto controls = controls_of(s);
      if (!controls) {
        std::cerr << "error: " << controls.error().message << "\n";
        return 1;
      }
      ablations.push_back(runner::run_ablation(catalog, s, *controls, o));
      if (tty) std::cerr << "\r\033[K" << std::flush;
    }
  }

  if (c.json) {
    std::cout << with_ablations(result, ablations) << std::endl;
  } else {
    runner::print_matrix_table(result, std::cout, c.color);
    for (const auto& a : ablations) runner::print_ablation_table(a, std::cout, c.color);
  }
  if (c.write_report) {
    std::filesystem::create_directories(c.out_dir);
    std::ofstream(c.out_dir / "matrix.json") << with_ablations(result, ablations) << "\n";
    // What `lab demo` did with its project just before, when it ran into this directory.
    const auto demo = runner::read_demo_summary(runner::demo_summary_file(c.out_dir / "demo"));
    std::ofstream(c.out_dir / "report.html") << runner::render_report_html(
        result, catalog, iso8601(system_clock().now()), ablations, source_markers(c.out_dir), demo);
    if (!c.json) {
      std::cout << "report: " << (c.out_dir / "report.html").string() << "   data: " << (c.out_dir / "matrix.json").string()
                << "\n";
    }
  }
  int ablation_errors = 0;
  for (const auto& a : ablations) ablation_errors += a.error_count();
  return result.drift_count() == 0 && ablation_errors == 0 ? 0 : 1;
}

}  // namespace lab::app
