#include "security/lab_ca_directory.h"

#include "core/file_io.h"
#include "security/key256.h"

namespace lab::security {

AgentFiles agent_files(const std::filesystem::path& dir, std::string_view agent_id) {
  const std::string name(agent_id);
  return {dir / (name + ".crt"), dir / (name + ".key")};
}

Result<LabCaDirectory> prepare_lab_ca_directory(const std::filesystem::path& dir, std::span<const std::string> agents) {
  LabCaDirectory out;
  out.dir = dir;
  out.created_ca = !std::filesystem::exists(dir / "ca.key");
  auto ca = out.created_ca ? LabCa::create(dir) : LabCa::load(dir);
  if (!ca) return ca.error();
  out.ca_certificate = ca->certificate_path();
  auto server = ca->issue_server(kLabServerName, dir);
  if (!server) return server.error();
  out.server = std::move(*server);
  for (const auto& agent : agents) {
    auto issued = ca->issue_agent(agent, dir);
    if (!issued) return Error{issued.error().code, agent + ": " + issued.error().message};
    out.agents.emplace_back(agent, std::move(*issued));
  }
  out.sealing_key = dir / kSealingKeyFile;
  if (!std::filesystem::exists(out.sealing_key)) {
    if (auto failed = replace_file_atomically(out.sealing_key, Key256::random().to_hex() + "\n", 0600)) {
      return Error{ErrorCode::kInternalError, out.sealing_key.string() + ": " + *failed};
    }
    out.created_sealing_key = true;
  }
  return out;
}

}  // namespace lab::security
