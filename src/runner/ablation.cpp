#include "runner/ablation.h"

#include <algorithm>
#include <chrono>

#include "core/enum_names.h"

namespace lab::runner {
namespace {

constexpr NameTable<AblationVerdict, 5> kVerdicts{{
    {AblationVerdict::kNecessary, "necessary"},
    {AblationVerdict::kOverlapped, "overlapped"},
    {AblationVerdict::kNoAttack, "no attack"},
    {AblationVerdict::kNotSwitchable, "not switchable"},
    {AblationVerdict::kError, "error"},
}};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

AblationVerdict verdict_of(const ControlAblation& a) {
  if (!a.control.not_switchable.empty()) return AblationVerdict::kNotSwitchable;
  if (a.cells.empty()) return AblationVerdict::kNoAttack;
  const auto any = [&](attacks::Outcome o) {
    return std::any_of(a.cells.begin(), a.cells.end(), [o](const MatrixCell& c) { return c.outcome == o; });
  };
  if (any(attacks::Outcome::kExploited)) return AblationVerdict::kNecessary;
  if (any(attacks::Outcome::kError)) return AblationVerdict::kError;
  return AblationVerdict::kOverlapped;
}

}  // namespace

std::string_view to_string(AblationVerdict verdict) { return name_of(kVerdicts, verdict, "error"); }

std::string ControlAblation::summary() const {
  switch (verdict) {
    case AblationVerdict::kNotSwitchable:
      return "cannot be switched off: " + control.not_switchable;
    case AblationVerdict::kNoAttack:
      return "no attack of the catalog (of those selected) targets what it fixes";
    case AblationVerdict::kNecessary:
    case AblationVerdict::kOverlapped:
    case AblationVerdict::kError:
      break;
  }
  std::string exploited, stopped, errors;
  for (const auto& c : cells) {
    if (c.outcome == attacks::Outcome::kExploited) {
      exploited += (exploited.empty() ? "" : ", ") + c.attack;
    } else if (c.outcome == attacks::Outcome::kBlocked) {
      stopped += (stopped.empty() ? "" : "; ") + c.attack + " still blocked" +
                 (c.refusal.empty() ? std::string(" (no answer)") : " with " + c.refusal);
    } else {
      errors += (errors.empty() ? "" : "; ") + c.attack + ": " + c.evidence;
    }
  }
  std::string out;
  if (!exploited.empty()) out = "without it, " + exploited + " succeeded";
  if (!stopped.empty()) out += (out.empty() ? "overlapped: without it, " : "; ") + stopped;
  if (!errors.empty()) out += (out.empty() ? "no verdict: " : "; no verdict: ") + errors;
  return out;
}

int AblationResult::error_count() const {
  int n = 0;
  for (const auto& a : controls) n += a.verdict == AblationVerdict::kError ? 1 : 0;
  return n;
}

Json AblationResult::to_json() const {
  Json controls_json = Json::array();
  for (const auto& a : controls) {
    Json cells_json = Json::array();
    for (const auto& c : a.cells) {
      cells_json.push_back(Json{{"attack", c.attack},
                                {"outcome", attacks::to_string(c.outcome)},
                                {"refusal", c.refusal.empty() ? Json(nullptr) : Json(c.refusal)},
                                {"evidence", c.evidence},
                                {"seconds", c.seconds}});
    }
    controls_json.push_back(Json{{"control", a.control.name},
                                 {"fixes", a.control.fixes},
                                 {"verdict", to_string(a.verdict)},
                                 {"summary", a.summary()},
                                 {"cells", std::move(cells_json)}});
  }
  return Json{{"stage", stage}, {"controls", std::move(controls_json)}, {"seconds", seconds}};
}

std::vector<const catalog::AttackSpec*> attacks_stopped_by(const catalog::Catalog& catalog, int stage,
                                                           const ControlToAblate& control) {
  std::vector<const catalog::AttackSpec*> out;
  for (const auto& spec : catalog.attacks) {
    const auto expected = spec.expected.find(stage);
    if (expected == spec.expected.end() || expected->second != catalog::Expected::kBlocked) continue;
    bool targets = std::any_of(spec.proves.begin(), spec.proves.end(),
                               [&](const std::string& id) { return contains(control.fixes, id); });
    if (const auto named = spec.blocked_by.find(stage); named != spec.blocked_by.end()) {
      targets = targets || named->second.control == control.name || contains(named->second.also, control.name);
    }
    if (targets) out.push_back(&spec);
  }
  return out;
}

AblationResult run_ablation(const catalog::Catalog& catalog, int stage, const std::vector<ControlToAblate>& controls,
                            const MatrixOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  AblationResult result;
  result.stage = stage;
  std::vector<CellPlan> plans;
  std::vector<std::size_t> owner;  // plans[i] belongs to controls[owner[i]]
  for (std::size_t k = 0; k < controls.size(); ++k) {
    if (!controls[k].not_switchable.empty()) continue;
    for (const auto* spec : attacks_stopped_by(catalog, stage, controls[k])) {
      if (!options.only.empty() && !contains(options.only, spec->id)) continue;
      plans.push_back(CellPlan{spec, stage, catalog::Expected::kExploited, std::nullopt, {controls[k].name}});
      owner.push_back(k);
    }
  }
  // Layers: the blocking control and its named overlaps, where the catalog calls them one layered defence, off
  // together (when all of them can be switched off).
  std::vector<ControlToAblate> layers;
  std::vector<std::vector<std::string>> layer_controls;
  const auto switchable = [&](const std::string& name) {
    return std::any_of(controls.begin(), controls.end(),
                       [&](const ControlToAblate& c) { return c.name == name && c.not_switchable.empty(); });
  };
  for (const auto& spec : catalog.attacks) {
    const auto named = spec.blocked_by.find(stage);
    if (named == spec.blocked_by.end() || !named->second.layered || named->second.also.empty()) continue;
    if (!options.only.empty() && !contains(options.only, spec.id)) continue;
    std::vector<std::string> layer{named->second.control};
    layer.insert(layer.end(), named->second.also.begin(), named->second.also.end());
    if (!std::all_of(layer.begin(), layer.end(), switchable)) continue;
    std::string name;
    for (const auto& c : layer) name += (name.empty() ? "" : " + ") + c;
    std::size_t k = 0;
    while (k < layers.size() && layers[k].name != name) ++k;
    if (k == layers.size()) {
      layers.push_back(ControlToAblate{name, {}, {}});
      layer_controls.push_back(layer);
    }
    plans.push_back(CellPlan{&spec, stage, catalog::Expected::kExploited, std::nullopt, layer_controls[k]});
    owner.push_back(controls.size() + k);
  }
  MatrixOptions o = options;
  o.work_dir = options.work_dir / "ablation";
  auto cells = run_cells(catalog, plans, o);
  for (const auto& control : controls) result.controls.push_back(ControlAblation{control, {}});
  for (const auto& layer : layers) result.controls.push_back(ControlAblation{layer, {}});
  for (std::size_t i = 0; i < cells.size(); ++i) result.controls[owner[i]].cells.push_back(std::move(cells[i]));
  for (auto& a : result.controls) a.verdict = verdict_of(a);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace lab::runner
