#include "runner/matrix.h"

#include <chrono>

#include "core/clock.h"
#include "core/domain.h"
#include "runner/process_stage.h"

namespace lab::runner {

bool MatrixCell::as_expected() const {
  switch (expected) {
    case catalog::Expected::kExploited:
      return outcome == attacks::Outcome::kExploited;
    case catalog::Expected::kBlocked:
      return outcome == attacks::Outcome::kBlocked;
    case catalog::Expected::kNotApplicable:
      return outcome == attacks::Outcome::kNotApplicable;
  }
  return false;
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
                           {"catalog", c.proves},
                           {"seconds", c.seconds}});
  }
  return Json{{"results", std::move(results)}, {"stages", stages}, {"seconds", seconds}, {"drift", drift_count()}}
      .dump(2, ' ', false, Json::error_handler_t::replace);
}

// Why the catalog expects nothing of this attack at this stage: the reasons
// of the entries it proves that do not apply there.
std::string not_applicable_because(const catalog::Catalog& catalog, const catalog::AttackSpec& spec, int stage) {
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

MatrixResult run_matrix(const catalog::Catalog& catalog, const MatrixOptions& o) {
  MatrixResult result;
  result.stages = o.stages;
  const auto started = std::chrono::steady_clock::now();
  std::vector<const catalog::AttackSpec*> specs;
  for (const auto& spec : catalog.attacks) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), spec.id) == o.only.end()) continue;
    specs.push_back(&spec);
  }
  const int total = static_cast<int>(specs.size() * o.stages.size());
  int index = 0;
  for (const auto* spec : specs) {
    for (int stage : o.stages) {
      MatrixCell cell{spec->id, spec->title, stage};
      cell.proves = spec->proves;
      if (auto it = spec->expected.find(stage); it != spec->expected.end()) cell.expected = it->second;
      if (o.on_start) o.on_start(stage, spec->id, ++index, total);
      const auto cell_started = std::chrono::steady_clock::now();
      const attacks::Attack* attack = attacks::find_attack(spec->id);
      if (cell.expected == catalog::Expected::kNotApplicable) {
        cell.outcome = attacks::Outcome::kNotApplicable;
        cell.evidence = not_applicable_because(catalog, *spec, stage);
      } else if (!attack) {
        cell.evidence = "no implementation of this attack";
      } else {
        auto process = ProcessStage::start(ProcessStageOptions{
            .stage = stage,
            .binary = o.binary,
            .work_dir = o.work_dir / ("stage" + std::to_string(stage)) / spec->id,
            .settings = o.settings});
        if (!process) {
          cell.evidence = "could not start the stage: " + process.error().message;
        } else {
          attacks::Target target;
          target.stage = stage;
          target.endpoint = (*process)->endpoint();
          target.settings = o.settings;
          target.control = process->get();
          target.tag = std::to_string(stage) + "x" + std::to_string(unix_millis(system_clock().now()) % 10000000);
          try {
            const auto r = attack->run(target);
            cell.outcome = r.outcome;
            cell.evidence = r.evidence;
          } catch (const std::exception& e) {
            cell.evidence = std::string("the attack failed: ") + e.what();
          }
        }
      }
      cell.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - cell_started).count();
      if (o.on_cell) o.on_cell(cell);
      result.cells.push_back(std::move(cell));
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace lab::runner
