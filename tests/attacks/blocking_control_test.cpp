// Precise oracles: where the catalog expects a built stage to block an
// attack, it names the control that refuses and the wire code it answers
// with. Each such cell runs here against the stage composed in process, so
// the test can read the chain's counters: the attack must report "blocked"
// on that code, the named control's refusals must have grown, and no other
// control may have refused anything.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "attacks/attack.h"
#include "catalog/catalog.h"
#include "client/client_profile.h"
#include "core/temporary_directory.h"
#include "security/lab_ca_directory.h"
#include "stage_registry.h"

namespace lab::attacks {
namespace {

struct Cell {
  int stage;
  std::string attack;
};
void PrintTo(const Cell& cell, std::ostream* os) { *os << cell.attack << " on stage " << cell.stage; }

std::vector<Cell> cells_with_a_named_refusal() {
  std::vector<Cell> out;
  for (const auto& spec : catalog::builtin_catalog().attacks) {
    for (const auto& [stage, refusal] : spec.blocked_by) {
      // A control that works without answering (no code) is proven by `lab matrix --ablation` instead, and so
      // are the cells of a preview stage (stage 4 composes only over a Redis: attack_matrix_stage4_surface).
      const bool implemented = std::any_of(stages::implemented_stages().begin(), stages::implemented_stages().end(),
                                           [&](const stages::StageInfo& s) { return s.number == stage; });
      if (implemented && !refusal.code.empty()) out.push_back({stage, spec.id});
    }
  }
  return out;
}

std::map<std::string, std::uint64_t> refusals_by_control(const coordinator::GuardChain& chain) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& row : chain.rows()) out[row.name] = row.rejections;
  return out;
}

class BlockingControl : public ::testing::TestWithParam<Cell> {};

TEST_P(BlockingControl, TheControlTheCatalogNamesIsTheOneThatRefused) {
  const auto& [stage, attack_id] = GetParam();
  const auto& spec = *catalog::builtin_catalog().find_attack(attack_id);
  const auto& expected = spec.blocked_by.at(stage);
  const Attack* attack = find_attack(attack_id);
  ASSERT_NE(attack, nullptr);

  Target target;
  target.stage = stage;
  target.tag = "precise";
  target.settings.prng_seed_bits = 20;
  coordinator::StageConfig config{.port = 0, .threads = 2};
  if (stage == 2) {
    config.prng_seed_bits = target.settings.prng_seed_bits;
    config.bcrypt_cost = 4;
  }
  if (stage >= 2) config.idle_timeout = target.settings.idle_timeout;
  auto ca_dir = TemporaryDirectory::create("lab_blocking_");
  ASSERT_TRUE(ca_dir.ok()) << ca_dir.error().message;
  if (client::profile_for(stage).uses_certificates()) {
    // A lab CA of the test's own, as `lab ca init` makes it; attacks connect as the insider unless they log in.
    auto made = security::prepare_lab_ca_directory(ca_dir->path(), client::lab_certificate_holders());
    ASSERT_TRUE(made.ok()) << made.error().message;
    config.certificate_dir = ca_dir->path().string();
    config.absolute_timeout = target.settings.absolute_timeout;
    config.connection_idle_timeout = target.settings.connection_idle_timeout;
    config.argon2_memory_kib = 64;
    target.certificate_dir = ca_dir->path();
    const auto insider = security::agent_files(ca_dir->path(), client::kInsiderWithoutAccount);
    target.endpoint.tls = net::TlsClientFiles{.ca_file = made->ca_certificate.string(),
                                              .server_name = security::kLabServerName,
                                              .certificate_file = insider.certificate.string(),
                                              .private_key_file = insider.private_key.string()};
  }
  auto server = stages::compose_stage(stage, config);
  ASSERT_TRUE(server.ok()) << server.error().message;
  ASSERT_TRUE((*server)->start().ok());
  target.endpoint.port = (*server)->port();
  const auto& chain = (*server)->coordinator().guards();
  const auto before = refusals_by_control(chain);
  ASSERT_TRUE(before.contains(expected.control)) << "stage " << stage << " has no control " << expected.control;

  const AttackResult result = attack->run(target);
  const auto after = refusals_by_control(chain);
  (*server)->stop();

  ASSERT_EQ(result.outcome, Outcome::kBlocked) << result.evidence;
  ASSERT_TRUE(result.refusal.has_value()) << "a blocked verdict without the refusal it rests on: " << result.evidence;
  EXPECT_EQ(to_string(*result.refusal), expected.code) << result.evidence;
  // A composition control (sealed state, version checks) is no check of a request and counts nothing.
  const auto rows = chain.rows();
  const bool composition = std::any_of(rows.begin(), rows.end(), [&](const auto& r) {
    return r.name == expected.control && r.phase == coordinator::Phase::kComposition;
  });
  if (!composition) {
    EXPECT_GT(after.at(expected.control), before.at(expected.control)) << expected.control << " refused nothing";
  }
  for (const auto& [control, count] : after) {
    if (control == expected.control) continue;
    // An overlap the catalog names is allowed, and shown wherever the cell is.
    if (std::find(expected.also.begin(), expected.also.end(), control) != expected.also.end()) continue;
    EXPECT_EQ(count, before.at(control)) << control << " refused too";
  }
}

INSTANTIATE_TEST_SUITE_P(Catalog, BlockingControl, ::testing::ValuesIn(cells_with_a_named_refusal()),
                         [](const auto& info) {
                           std::string name = "stage" + std::to_string(info.param.stage) + "_" + info.param.attack;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace lab::attacks
