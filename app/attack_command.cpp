#include "attack_command.h"

#include <charconv>
#include <iostream>

#include "agent_commands.h"
#include "attacks/attack.h"
#include "client/client_profile.h"
#include "security/lab_ca_directory.h"
#include "core/clock.h"
#include "catalog/catalog.h"
#include "runner/matrix.h"
#include "runner/process_stage.h"
#include "stage_registry.h"

namespace lab::app {

using stages::find_stage;
using stages::implemented_stages;
using stages::make_stage_server;
using stages::StageInfo;

namespace {

void print_result(const attacks::Attack& attack, const AttackCommand& c, const attacks::AttackResult& result) {
  if (c.json) {
    std::cout << Json{{"attack", attack.id()},
                      {"stage", c.stage},
                      {"outcome", attacks::to_string(result.outcome)},
                      {"evidence", result.evidence}}
                     .dump()
              << std::endl;
  } else {
    std::cout << attack.id() << " against stage " << c.stage << ": " << attacks::to_string(result.outcome) << "\n  "
              << result.evidence << std::endl;
  }
}

}  // namespace

int run_attack_command(const AttackCommand& c) {
  const attacks::Attack* attack = attacks::find_attack(c.name);
  if (!attack) {
    std::cerr << "error: unknown attack '" << c.name << "'. Known attacks:\n";
    for (const auto* a : attacks::all_attacks()) std::cerr << "  " << a->id() << "  " << a->title() << "\n";
    return 2;
  }
  if (!find_stage(c.stage)) {
    std::cerr << "error: " << stages::unavailable_stage(c.stage) << "\n";
    return 2;
  }
  const auto* spec = catalog::builtin_catalog().find_attack(attack->id());
  if (spec && spec->expected.at(c.stage) == catalog::Expected::kNotApplicable) {
    // Nothing at this stage for the attack to act on: say why instead of a verdict that would mean nothing.
    print_result(*attack, c, attacks::AttackResult{attacks::Outcome::kNotApplicable,
                                                   runner::not_applicable_because(catalog::builtin_catalog(), *spec,
                                                                                  c.stage)});
    return 0;
  }
  attacks::Target target;
  target.stage = c.stage;
  target.tag = std::to_string(unix_millis(system_clock().now()) % 1000000);
  attack->adjust(target.settings);
  std::unique_ptr<runner::ProcessStage> stage;
  if (c.target.empty()) {
    auto started = runner::ProcessStage::start(runner::ProcessStageOptions{
        .stage = c.stage,
        .binary = runner::self_executable(),
        .work_dir = std::filesystem::path("out") / "attack" / (c.name + "-stage" + std::to_string(c.stage)),
        .settings = target.settings});
    if (!started) {
      std::cerr << "error: " << started.error().message << "\n";
      return 1;
    }
    stage = std::move(started).value();
    target.endpoint = stage->endpoint();
    target.control = stage.get();
    target.certificate_dir = stage->certificate_dir();
  } else {
    const auto colon = c.target.rfind(':');
    int port = -1;
    if (colon != std::string::npos) {
      const std::string digits = c.target.substr(colon + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
      if (ec != std::errc{} || end != digits.data() + digits.size() || port < 1) port = -1;
    }
    if (port < 1 || port > 65535) {
      std::cerr << "error: --target must be host:port (port 1..65535)\n";
      return 2;
    }
    auto endpoint = resolve_endpoint(AgentEndpoint{c.stage, c.target.substr(0, colon), port, c.certificates});
    if (!endpoint) return 2;
    if (endpoint->tls) {
      // Probes without a session connect as the insider: a lab certificate, no account.
      const auto insider = security::agent_files(c.certificates, client::kInsiderWithoutAccount);
      endpoint->tls->certificate_file = insider.certificate.string();
      endpoint->tls->private_key_file = insider.private_key.string();
    }
    target.endpoint = *endpoint;
    if (endpoint->tls || !c.certificates.empty()) target.certificate_dir = c.certificates;
  }
  const auto result = attack->run(target);
  print_result(*attack, c, result);
  return result.outcome == attacks::Outcome::kError ? 1 : 0;
}

}  // namespace lab::app
