#include "ca_command.h"

#include <iostream>

#include "client/client_profile.h"
#include "security/audit_chain.h"
#include "security/lab_ca_directory.h"

namespace lab::app {

int run_ca_init(const std::filesystem::path& dir) {
  const auto holders = client::lab_certificate_holders();
  auto made = security::prepare_lab_ca_directory(dir, holders);
  if (!made) {
    std::cerr << "lab ca init: " << made.error().message << "\n";
    return 1;
  }
  std::cout << "CA            " << made->ca_certificate.string() << (made->created_ca ? " (new)" : " (kept)") << "\n"
            << "server        " << made->server.certificate.string() << "\n";
  for (const auto& [agent, issued] : made->agents) {
    const std::string note = agent == client::kInsiderWithoutAccount ? "  (no account: the insider of the attacks)" : "";
    std::cout << "agent " << agent << std::string(agent.size() < 22 ? 22 - agent.size() : 1, ' ')
              << issued.certificate.string() << "  sha256:" << issued.fingerprint.substr(0, 16) << "..." << note << "\n";
  }
  std::cout << "state key     " << made->sealing_key.string()
            << (made->created_sealing_key ? " (new)" : " (kept)") << " seals stage 3's state; never in the state directory\n"
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
