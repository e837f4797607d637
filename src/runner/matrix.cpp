#include "runner/matrix.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/clock.h"
#include "core/domain.h"
#include "runner/process_stage.h"

namespace lab::runner {

bool MatrixCell::as_expected() const {
  switch (expected) {
    case catalog::Expected::kExploited:
      return outcome == attacks::Outcome::kExploited;
    case catalog::Expected::kBlocked:
      return outcome == attacks::Outcome::kBlocked &&
             (!expected_refusal || expected_refusal->code.empty() || refusal == expected_refusal->code);
    case catalog::Expected::kNotApplicable:
      return outcome == attacks::Outcome::kNotApplicable;
  }
  return false;
}

std::string MatrixCell::drift() const {
  if (as_expected()) return {};
  std::string out = "expected " + std::string(catalog::to_string(expected));
  if (expected_refusal) {
    out += " (" + (expected_refusal->code.empty() ? std::string("no answer") : expected_refusal->code) + " from " +
           expected_refusal->control + ")";
  }
  out += ", got " + std::string(attacks::to_string(outcome));
  if (!refusal.empty()) out += " (" + refusal + ")";
  return out + " — " + evidence;
}

int MatrixResult::drift_count() const {
  int n = 0;
  for (const auto& c : cells) n += c.as_expected() ? 0 : 1;
  return n;
}

std::string MatrixResult::to_json() const {
  Json results = Json::array();
  for (const auto& c : cells) {
    results.push_back(Json{{"attack", c.attack},
                           {"stage", c.stage},
                           {"expected", catalog::to_string(c.expected)},
                           {"outcome", attacks::to_string(c.outcome)},
                           {"evidence", c.evidence},
                           {"refusal", c.refusal.empty() ? Json(nullptr) : Json(c.refusal)},
                           {"catalog", c.proves},
                           {"seconds", c.seconds}});
  }
  return Json{{"results", std::move(results)}, {"stages", stages}, {"seconds", seconds}, {"drift", drift_count()}}
      .dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string not_applicable_because(const catalog::Catalog& catalog, const catalog::AttackSpec& spec, int stage) {
  if (!catalog.reaches(spec, stage)) {
    std::string served = "nothing this attack speaks";
    for (const auto& s : catalog.surfaces) {
      if (std::find(s.stages.begin(), s.stages.end(), stage) != s.stages.end()) served = s.name;
    }
    const auto* spoken = catalog.find_surface(spec.surface);
    return "not run at this stage: it serves " + served + ", and this attack speaks " +
           (spoken ? spoken->name : spec.surface);
  }
  std::string why;
  for (const auto& id : spec.proves) {
    const auto* entry = catalog.find_entry(id);
    if (!entry) continue;
    const auto it = entry->stages.find(stage);
    if (it == entry->stages.end() || it->second.status != catalog::Status::kNotApplicable) continue;
    why += (why.empty() ? "" : " ") + id + ": " + it->second.why;
  }
  return "not run at this stage; " + (why.empty() ? std::string("the catalog expects nothing here") : why);
}

namespace {

// One cell: a fresh stage process in its own work directory, the attack, the verdict.
MatrixCell run_cell(const catalog::Catalog& catalog, const CellPlan& plan, const MatrixOptions& o) {
  const catalog::AttackSpec& spec = *plan.spec;
  const int stage = plan.stage;
  MatrixCell cell{spec.id, spec.title, stage};
  cell.proves = spec.proves;
  cell.expected = plan.expected;
  cell.expected_refusal = plan.expected_refusal;
  cell.without_controls = plan.disabled_controls;
  const auto cell_started = std::chrono::steady_clock::now();
  const attacks::Attack* attack = attacks::find_attack(spec.id);
  if (cell.expected == catalog::Expected::kNotApplicable) {
    cell.outcome = attacks::Outcome::kNotApplicable;
    cell.evidence = not_applicable_because(catalog, spec, stage);
  } else if (!attack) {
    cell.evidence = "no implementation of this attack";
  } else {
    std::filesystem::path dir = o.work_dir / ("stage" + std::to_string(stage));
    for (const auto& control : plan.disabled_controls) dir /= "without-" + control;
    attacks::StageSettings settings = o.settings;
    attack->adjust(settings);
    auto process = ProcessStage::start(ProcessStageOptions{.stage = stage,
                                                           .binary = o.binary,
                                                           .work_dir = dir / spec.id,
                                                           .settings = settings,
                                                           .disabled_controls = plan.disabled_controls});
    if (!process) {
      cell.evidence = "could not start the stage: " + process.error().message;
    } else {
      attacks::Target target;
      target.stage = stage;
      target.endpoint = (*process)->endpoint();
      target.settings = settings;
      target.control = process->get();
      target.certificate_dir = (*process)->certificate_dir();
      target.tag = std::to_string(stage) + "x" + std::to_string(unix_millis(system_clock().now()) % 10000000);
      try {
        const auto r = attack->run(target);
        cell.outcome = r.outcome;
        cell.evidence = r.evidence;
        if (r.refusal) cell.refusal = to_string(*r.refusal);
      } catch (const std::exception& e) {
        cell.evidence = std::string("the attack failed: ") + e.what();
      }
    }
  }
  cell.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - cell_started).count();
  return cell;
}

// Hands out cells to the workers: up to `jobs` at once, except that a cell
// whose attack runs alone waits for the others to finish and holds the rest
// back until it is done. The cells of one such attack (against different
// stages, or with different controls off) may run side by side: each loads the
// machine the way the others do, which is what its timing was made for, and
// none of them is a stranger's load.
//
// The order: first the cells that start early, then the others, then the
// attacks that run alone, one after the other (a barrier in the middle of the
// run would leave the cores idle while the longest cell before it finished);
// each group in plan order. Last rather than first: when the matrix starts, a
// test run may be starting its other heavy tests beside it.
class CellScheduler {
 public:
  CellScheduler(const std::vector<CellPlan>& cells, int jobs) : cells_(cells), jobs_(jobs) {
    for (std::size_t i = 0; i < cells_.size(); ++i) order_.push_back(i);
    // Each attack that runs alone keeps its cells together, at the place of its first cell.
    std::map<std::string_view, std::size_t> first_cell;
    for (std::size_t i = 0; i < cells_.size(); ++i) first_cell.try_emplace(cells_[i].spec->id, i);
    const auto rank = [&](std::size_t i) {
      if (alone(i)) return std::pair<int, std::size_t>{2, first_cell.at(cells_[i].spec->id)};
      const attacks::Attack* a = attacks::find_attack(cells_[i].spec->id);
      const bool early = a && a->starts_early() && cells_[i].expected != catalog::Expected::kNotApplicable;
      return std::pair<int, std::size_t>{early ? 0 : 1, 0};
    };
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  }

  // The index of the next cell to run, or nullopt when none is left.
  std::optional<std::size_t> acquire() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return next_ >= order_.size() || may_start(order_[next_]); });
    if (next_ >= order_.size()) return std::nullopt;
    const std::size_t i = order_[next_++];
    ++running_;
    if (alone(i)) exclusive_attack_ = cells_[i].spec->id;
    return i;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      --running_;
      if (running_ == 0) exclusive_attack_.clear();
    }
    changed_.notify_all();
  }

 private:
  bool alone(std::size_t i) const {
    const attacks::Attack* a = attacks::find_attack(cells_[i].spec->id);
    return a && a->runs_alone() && cells_[i].expected != catalog::Expected::kNotApplicable;
  }
  bool may_start(std::size_t i) const {
    if (!exclusive_attack_.empty()) return alone(i) && cells_[i].spec->id == exclusive_attack_ && running_ < jobs_;
    return alone(i) ? running_ == 0 : running_ < jobs_;
  }

  const std::vector<CellPlan>& cells_;
  std::vector<std::size_t> order_;  // the order in which cells are handed out
  int jobs_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;
  int running_ = 0;
  std::string exclusive_attack_;  // the attack whose cells run alone now; empty when none does
};

}  // namespace

std::vector<MatrixCell> run_cells(const catalog::Catalog& catalog, const std::vector<CellPlan>& plans,
                                  const MatrixOptions& o) {
  const int total = static_cast<int>(plans.size());
  const int jobs = std::max(1, o.jobs > 0 ? o.jobs : static_cast<int>(std::thread::hardware_concurrency()));
  CellScheduler scheduler(plans, jobs);
  std::vector<MatrixCell> cells(plans.size());
  std::mutex report;  // the callbacks run one at a time
  int started_cells = 0;
  const auto worker = [&] {
    while (const auto i = scheduler.acquire()) {
      const CellPlan& plan = plans[*i];
      {
        std::lock_guard lock(report);
        if (o.on_start) o.on_start(plan.stage, plan.spec->id, ++started_cells, total);
      }
      MatrixCell cell = run_cell(catalog, plan, o);
      {
        std::lock_guard lock(report);
        if (o.on_cell) o.on_cell(cell);
      }
      cells[*i] = std::move(cell);
      scheduler.release();
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < jobs; ++w) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  return cells;
}

MatrixResult run_matrix(const catalog::Catalog& catalog, const MatrixOptions& o) {
  MatrixResult result;
  result.stages = o.stages;
  const auto started = std::chrono::steady_clock::now();
  std::vector<CellPlan> plans;
  for (const auto& spec : catalog.attacks) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), spec.id) == o.only.end()) continue;
    for (int stage : o.stages) {
      CellPlan plan{&spec, stage};
      if (auto it = spec.expected.find(stage); it != spec.expected.end()) plan.expected = it->second;
      if (auto it = spec.blocked_by.find(stage); it != spec.blocked_by.end()) plan.expected_refusal = it->second;
      plans.push_back(std::move(plan));
    }
  }
  result.cells = run_cells(catalog, plans, o);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace lab::runner
