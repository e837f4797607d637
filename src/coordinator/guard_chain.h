// GuardChain: a stage's guards in phase order, each with a mode and counters.
// Thread-safe: check() runs concurrently for different requests; modes are
// fixed when the stage is composed (set_mode before the server starts).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/guard.h"
#include "core/domain.h"

namespace lab::coordinator {

class GuardChain {
 public:
  // What a shadow-mode guard would have rejected (the request went on).
  using ShadowSink = std::function<void(const Guard& guard, const Rejection& rejection, const GuardContext& context)>;

  // Appends `guard`; guards run by phase, and in the order added within a phase.
  void add(std::unique_ptr<Guard> guard, GuardMode mode = GuardMode::kEnforce);
  // Changes the mode of the guard called `name`; INVALID_FIELD when there is none.
  Status set_mode(std::string_view name, GuardMode mode);
  void on_shadow(ShadowSink sink) { shadow_sink_ = std::move(sink); }

  // What a run did, kept aside instead of counted: an optimistic admission counts its run only once it stands.
  struct Tally {
    std::vector<std::size_t> checked;  // slots, in the order they ran
    std::vector<std::pair<std::size_t, Rejection>> shadowed;
  };

  // Runs the guards of `phase`; the first enforced rejection stops the chain and is returned. With a `tally`,
  // the counters and the shadow sink are left alone and the run is recorded there instead (see count()).
  Verdict run(Phase phase, GuardContext& context, Tally* tally = nullptr);
  // Counts a tallied run as run() would have counted it (it passed: no enforced rejection).
  void count(const Tally& tally, const GuardContext& context);
  // Counts a refusal the front made for the connection-phase control that
  // answers with `code` (such controls count refusals only: the front checks
  // every message, the chain does not see them).
  void record_front_refusal(ErrorCode code);
  // The guards of `phase` currently in `mode`, in order.
  std::vector<const Guard*> guards_in(Phase phase, GuardMode mode) const;

  struct Row {
    std::string name;
    Phase phase;
    GuardMode mode;
    std::vector<std::string> fixes;
    std::uint64_t checks;
    std::uint64_t rejections;         // enforced
    std::uint64_t shadow_rejections;  // recorded only
  };
  // The chain in the order it runs, with its counters.
  std::vector<Row> rows() const;
  Json to_json() const;

 private:
  struct Slot {
    std::unique_ptr<Guard> guard;
    Phase phase;  // the guard's, read once when it is added
    GuardMode mode;
    std::atomic<std::uint64_t> checks{0};
    std::atomic<std::uint64_t> rejections{0};
    std::atomic<std::uint64_t> shadow_rejections{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;  // sorted by phase, stable
  ShadowSink shadow_sink_;
};

}  // namespace lab::coordinator
