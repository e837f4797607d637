#include "coordinator/guard_chain.h"

#include <algorithm>

#include "coordinator/front_control.h"
#include "core/enum_names.h"

namespace lab::coordinator {
namespace {

constexpr NameTable<Phase, 7> kPhases{{
    {Phase::kConnection, "connection"},
    {Phase::kBeforeAuthentication, "before-authentication"},
    {Phase::kAuthentication, "authentication"},
    {Phase::kBinding, "binding"},
    {Phase::kAuthorization, "authorization"},
    {Phase::kPayload, "payload"},
    {Phase::kComposition, "composition"},
}};

constexpr NameTable<GuardMode, 3> kModes{{
    {GuardMode::kEnforce, "enforce"},
    {GuardMode::kShadow, "shadow"},
    {GuardMode::kOff, "off"},
}};

}  // namespace

std::string_view to_string(Phase phase) { return name_of(kPhases, phase, "?"); }
std::string_view to_string(GuardMode mode) { return name_of(kModes, mode, "?"); }

void GuardChain::add(std::unique_ptr<Guard> guard, GuardMode mode) {
  auto slot = std::make_unique<Slot>();
  slot->guard = std::move(guard);
  slot->phase = slot->guard->phase();
  slot->mode = mode;
  const auto after = std::upper_bound(slots_.begin(), slots_.end(), slot->phase,
                                      [](Phase p, const auto& s) { return p < s->phase; });
  slots_.insert(after, std::move(slot));
}

Status GuardChain::set_mode(std::string_view name, GuardMode mode) {
  for (auto& s : slots_) {
    if (s->guard->name() == name) {
      s->mode = mode;
      return ok_status();
    }
  }
  return Error{ErrorCode::kInvalidField, "no control named '" + std::string(name) + "' in this stage"};
}

Verdict GuardChain::run(Phase phase, GuardContext& context, Tally* tally) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    auto& s = slots_[i];
    if (s->phase > phase) break;  // the slots are in phase order: this phase's guards are all behind
    if (s->phase < phase || s->mode == GuardMode::kOff) continue;
    if (tally) {
      tally->checked.push_back(i);
    } else {
      s->checks.fetch_add(1, std::memory_order_relaxed);
    }
    Verdict verdict = s->guard->check(context);
    if (!verdict) continue;
    if (s->mode == GuardMode::kShadow) {
      if (tally) {
        tally->shadowed.emplace_back(i, std::move(*verdict));
        continue;
      }
      s->shadow_rejections.fetch_add(1, std::memory_order_relaxed);
      if (shadow_sink_) shadow_sink_(*s->guard, *verdict, context);
      continue;
    }
    if (!tally) s->rejections.fetch_add(1, std::memory_order_relaxed);
    return verdict;
  }
  return std::nullopt;
}

void GuardChain::count(const Tally& tally, const GuardContext& context) {
  for (const std::size_t i : tally.checked) slots_.at(i)->checks.fetch_add(1, std::memory_order_relaxed);
  for (const auto& [i, rejection] : tally.shadowed) {
    auto& s = slots_.at(i);
    s->shadow_rejections.fetch_add(1, std::memory_order_relaxed);
    if (shadow_sink_) shadow_sink_(*s->guard, rejection, context);
  }
}

void GuardChain::record_front_refusal(ErrorCode code) {
  for (auto& s : slots_) {
    const auto* front = dynamic_cast<const FrontControl*>(s->guard.get());
    if (!front || front->refusal() != code || s->mode == GuardMode::kOff) continue;
    s->checks.fetch_add(1, std::memory_order_relaxed);
    s->rejections.fetch_add(1, std::memory_order_relaxed);
    return;
  }
}

std::vector<const Guard*> GuardChain::guards_in(Phase phase, GuardMode mode) const {
  std::vector<const Guard*> out;
  for (const auto& s : slots_) {
    if (s->guard->phase() == phase && s->mode == mode) out.push_back(s->guard.get());
  }
  return out;
}

std::vector<GuardChain::Row> GuardChain::rows() const {
  std::vector<Row> out;
  for (const auto& s : slots_) {
    out.push_back(Row{std::string(s->guard->name()), s->guard->phase(), s->mode, s->guard->fixes(), s->checks.load(),
                      s->rejections.load(), s->shadow_rejections.load()});
  }
  return out;
}

Json GuardChain::to_json() const {
  Json list = Json::array();
  for (const auto& r : rows()) {
    list.push_back(Json{{"control", r.name},
                        {"phase", to_string(r.phase)},
                        {"mode", to_string(r.mode)},
                        {"fixes", r.fixes},
                        {"checks", r.checks},
                        {"rejections", r.rejections},
                        {"shadow_rejections", r.shadow_rejections}});
  }
  return list;
}

}  // namespace lab::coordinator
