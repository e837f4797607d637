#include "ca_command.h"

#include <iostream>

#include "core/file_io.h"
#include "embedded/embedded_files.h"
#include "security/key256.h"
#include "security/audit_chain.h"
#include "security/lab_ca.h"
#include "stage3_secure/stage3.h"

namespace lab::app {
namespace {

// The lab's users, and the insider who holds a certificate but no account.
std::vector<std::string> agents_to_issue() {
  std::vector<std::string> agents;
  const Json doc = Json::parse(embedded::file("sample_data/valid_credentials.json").value_or("{}"), nullptr, false);
  if (!doc.is_discarded()) {
    for (const auto& u : doc.value("users", Json::array())) agents.push_back(u.value("agent_id", ""));
  }
  agents.emplace_back("mallory");
  return agents;
}

}  // namespace

int run_ca_init(const std::filesystem::path& dir) {
  auto ca = std::filesystem::exists(dir / "ca.key") ? security::LabCa::load(dir) : security::LabCa::create(dir);
  if (!ca) {
    std::cerr << "lab ca init: " << ca.error().message << "\n";
    return 1;
  }
  auto server = ca->issue_server(stage3::kServerName, dir);
  if (!server) {
    std::cerr << "lab ca init: " << server.error().message << "\n";
    return 1;
  }
  std::cout << "CA            " << ca->certificate_path().string() << "\n"
            << "server        " << server->certificate.string() << "\n";
  for (const auto& agent : agents_to_issue()) {
    auto issued = ca->issue_agent(agent, dir);
    if (!issued) {
      std::cerr << "lab ca init: " << agent << ": " << issued.error().message << "\n";
      return 1;
    }
    std::cout << "agent " << agent << std::string(agent.size() < 22 ? 22 - agent.size() : 1, ' ')
              << issued->certificate.string() << "  sha256:" << issued->fingerprint.substr(0, 16) << "...\n";
  }
  // The key that seals stage 3's state: made once and never replaced (the state it sealed would not open again).
  const auto sealing_key = dir / stage3::kSealingKeyFile;
  if (!std::filesystem::exists(sealing_key)) {
    if (auto failed = replace_file_atomically(sealing_key, security::Key256::random().to_hex() + "\n", 0600)) {
      std::cerr << "lab ca init: " << sealing_key.string() << ": " << *failed << "\n";
      return 1;
    }
  }
  std::cout << "state key     " << sealing_key.string() << " (seals stage 3's state; never in the state directory)\n"
            << "keys are mode 0600; certificates expire in 30 days (run this again to renew)\n";
  return 0;
}

int run_audit_verify(const std::filesystem::path& file) {
  auto verified = security::verify_audit_log(file);
  if (!verified) {
    std::cout << file.string() << ": does NOT verify: " << verified.error().message << "\n";
    return 1;
  }
  std::cout << file.string() << ": " << verified->entries << " entries, chain intact, last hash "
            << verified->last_hash.substr(0, 16) << "...\n";
  return 0;
}

}  // namespace lab::app
