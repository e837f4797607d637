// The attack x stage matrix: every attack of the catalog against every chosen
// stage, each on a fresh stage process, compared with the catalog's expectation.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "catalog/catalog.h"

namespace lab::runner {

struct MatrixCell {
  std::string attack;
  std::string title;
  int stage = 0;
  catalog::Expected expected = catalog::Expected::kNotApplicable;
  // For an expected "blocked": the refusal the catalog names, if it names one.
  std::optional<catalog::ExpectedRefusal> expected_refusal;
  attacks::Outcome outcome = attacks::Outcome::kError;
  std::string evidence;
  std::string refusal;  // the error code a "blocked" verdict rests on; empty when none
  std::vector<std::string> proves;
  std::vector<std::string> without_controls;  // an ablation cell: the controls switched off for it
  double seconds = 0;

  // The outcome is what the catalog says it should be (and a "blocked" came
  // with the refusal the catalog names, when it names one).
  bool as_expected() const;
  // Why the cell is not as expected, in a sentence; empty when it is.
  std::string drift() const;
};

// Why the catalog expects nothing of `spec` at `stage` (an "n/a" cell): the
// reasons of the entries it proves that do not apply there.
std::string not_applicable_because(const catalog::Catalog& catalog, const catalog::AttackSpec& spec, int stage);

struct MatrixOptions {
  std::vector<int> stages{1};
  std::filesystem::path binary;                       // the lab executable
  std::filesystem::path work_dir = "out/matrix";
  // Stage 2's session-id generator gets a 20-bit seed, so recover-prng-seed
  // searches a million seeds (a second) instead of 2^32 (minutes).
  attacks::StageSettings settings{.prng_seed_bits = 20};
  std::vector<std::string> only;                      // attack ids; empty = all
  // Cells side by side (0 = one per core). A cell whose attack runs_alone()
  // runs with no other beside it.
  int jobs = 4;  // most cells wait on timers and sockets: more of them than cores keeps the cores busy
  // Called one at a time, from the worker threads.
  std::function<void(int stage, const std::string& attack, int index, int total)> on_start;
  std::function<void(const MatrixCell& cell)> on_cell;
};

struct MatrixResult {
  std::vector<MatrixCell> cells;  // attack-major, in catalog order (whatever order they ran in)
  std::vector<int> stages;
  double seconds = 0;

  int drift_count() const;
  // DESIGN §2: {"results":[{"attack","stage","expected","outcome","evidence","catalog"}]}
  std::string to_json() const;
};

MatrixResult run_matrix(const catalog::Catalog& catalog, const MatrixOptions& options);

// One planned cell: an attack against a stage (with some controls switched off, for an ablation), and what the
// verdict must be.
struct CellPlan {
  const catalog::AttackSpec* spec = nullptr;
  int stage = 0;
  catalog::Expected expected = catalog::Expected::kNotApplicable;
  std::optional<catalog::ExpectedRefusal> expected_refusal;
  std::vector<std::string> disabled_controls;
};

// Runs `plans` as `options` says (jobs, callbacks, work directory; its stages and filter are not read), each
// on a fresh stage process; the cells come back in the order of `plans`.
std::vector<MatrixCell> run_cells(const catalog::Catalog& catalog, const std::vector<CellPlan>& plans,
                                  const MatrixOptions& options);

}  // namespace lab::runner
