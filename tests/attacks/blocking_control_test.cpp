// Precise oracles: where the catalog expects a built stage to block an
// attack, it names the control that refuses and the wire code it answers
// with. Each such cell runs here against the stage composed in process, so
// the test can read the chain's counters: the attack must report "blocked"
// on that code, the named control's refusals must have grown, and no other
// control may have refused anything.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attacks/attack.h"
#include "catalog/catalog.h"
#include "client/client_profile.h"
#include "core/temporary_directory.h"
#include "runner/redis_deployment.h"
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
      // are the line-protocol attacks that exist only where there are several instances and a store on the
      // network (n/a on stage 3): they need the matrix's processes to hop between and the store's address.
      const auto on_stage3 = spec.expected.find(3);
      const bool distributed_only = spec.surface == "line" && on_stage3 != spec.expected.end() &&
                                    on_stage3->second == catalog::Expected::kNotApplicable;
      if (stages::find_stage(stage) && !refusal.code.empty() && !distributed_only) out.push_back({stage, spec.id});
    }
  }
  return out;
}

std::map<std::string, std::uint64_t> refusals_by_control(const coordinator::GuardChain& chain) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& row : chain.rows()) out[row.name] = row.rejections;
  return out;
}

// Stage 4's store for the whole program: one Redis node (TLS, the coordinators' ACL user); each cell gets a key
// prefix of its own.
// Its lab CA (ca/ beside it) is the stage 4 cells' CA too: the stage trusts Redis through the CA it is given.
struct SharedRedis {
  TemporaryDirectory dir = TemporaryDirectory::create("lab_blocking_redis_").value();
  std::filesystem::path ca = dir.path() / "ca";
  runner::RedisDeployment redis = start(dir.path(), ca);

  static runner::RedisDeployment start(const std::filesystem::path& root, const std::filesystem::path& ca) {
    if (auto made = security::prepare_lab_ca_directory(ca, client::lab_certificate_holders()); !made) {
      throw std::runtime_error(made.error().message);
    }
    return runner::RedisDeployment::start({.work_dir = root / "redis", .ca_dir = ca, .with_replica_and_sentinels = false})
        .value();
  }
};
SharedRedis& shared_redis() {
  static SharedRedis shared;
  return shared;
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
  attack->adjust(target.settings);
  coordinator::StageConfig config{.port = 0, .threads = 2};
  if (stage == 2) {
    config.prng_seed_bits = target.settings.prng_seed_bits;
    config.bcrypt_cost = 4;
  }
  if (stage >= 2) config.idle_timeout = target.settings.idle_timeout;
  auto own_dir = TemporaryDirectory::create("lab_blocking_");
  ASSERT_TRUE(own_dir.ok()) << own_dir.error().message;
  std::filesystem::path ca_dir = own_dir->path();
  if (stage == 4) {
    static int cell = 0;
    auto& shared = shared_redis();
    ca_dir = shared.ca;
    config.redis = shared.redis.primary().to_string();
    config.redis_password_file = shared.redis.password_file().string();
    config.redis_prefix = "lab:cell" + std::to_string(++cell) + ":";
  }
  if (client::profile_for(stage).uses_certificates()) {
    // A lab CA of the test's own, as `lab ca init` makes it; attacks connect as the insider unless they log in.
    if (stage != 4) {
      auto made = security::prepare_lab_ca_directory(ca_dir, client::lab_certificate_holders());
      ASSERT_TRUE(made.ok()) << made.error().message;
    }
    config.certificate_dir = ca_dir.string();
    config.absolute_timeout = target.settings.absolute_timeout;
    config.connection_idle_timeout = target.settings.connection_idle_timeout;
    config.argon2_memory_kib = 64;
    config.agent_requests_per_second = target.settings.agent_requests_per_second;
    if (stage == 5) {
      config.access_token_seconds = static_cast<int>(target.settings.access_token_lifetime.count());
      config.token_audiences = target.settings.token_audiences;
    }
    target.certificate_dir = ca_dir;
    const auto insider = security::agent_files(ca_dir, client::kInsiderWithoutAccount);
    target.endpoint.tls = net::TlsClientFiles{.ca_file = (ca_dir / "ca.crt").string(),
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
