// Ablation: every control of a stage switched off alone, and the attacks that
// control exists to stop run against the stage without it (`lab matrix
// --ablation`). A control is proven necessary when one of them then succeeds.
// When all of them are still blocked, another control overlaps it: the result
// says which refusal stopped each one, rather than hiding the overlap.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "runner/matrix.h"

namespace lab::runner {

// A control as the stage's chain lists it.
struct ControlToAblate {
  std::string name;  // for a layer of defences (see run_ablation): the controls' names joined by " + "
  std::vector<std::string> fixes;  // catalog ids
  std::string not_switchable;      // why it cannot be switched off (the stage's only authentication); empty: it can
};

enum class AblationVerdict {
  kNecessary,      // with it off, at least one of its attacks succeeded
  kOverlapped,     // with it off, every one of its attacks was still blocked by another control
  kNoAttack,       // no attack of the catalog targets what it fixes
  kNotSwitchable,  // the stage cannot run without it
  kError,          // a cell gave no verdict
};
std::string_view to_string(AblationVerdict verdict);

struct ControlAblation {
  ControlToAblate control;
  std::vector<MatrixCell> cells;  // one per attack, each expected "exploited"
  AblationVerdict verdict = AblationVerdict::kNoAttack;
  // One line: what proved the control necessary, or what stopped its attacks without it.
  std::string summary() const;
};

struct AblationResult {
  int stage = 0;
  std::vector<ControlAblation> controls;
  double seconds = 0;

  int error_count() const;
  Json to_json() const;
};

// The attacks that `control` exists to stop at `stage`: those the catalog expects blocked there whose blocking
// control (or a named overlap) it is, or which prove an entry it fixes.
std::vector<const catalog::AttackSpec*> attacks_stopped_by(const catalog::Catalog& catalog, int stage,
                                                           const ControlToAblate& control);

// Runs every (control, attack) cell, `options.jobs` at a time, each on a fresh stage process started with
// `--disable-control` for that control alone (only the attacks of `options.only`, when it names some). Then, for
// each attack whose refusal the catalog calls layered (its blocking control and the `also` overlaps, all
// switchable), one more row with all of them off together: a defence in layers proven as a whole.
AblationResult run_ablation(const catalog::Catalog& catalog, int stage, const std::vector<ControlToAblate>& controls,
                            const MatrixOptions& options);

}  // namespace lab::runner
