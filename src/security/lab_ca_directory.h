// The lab CA's directory as stage 3 reads it: the CA, the server's
// certificate, one certificate per agent, and the key that seals stage 3's
// state. `lab ca init`, the matrix (a fresh directory per stage process) and
// the tests all make it here, so its layout is written down once.
//
//   ca.crt / ca.key                 the CA (LabCa)
//   localhost.crt / localhost.key   the coordinator's server certificate
//   <agent>.crt / <agent>.key       each agent's client certificate
//   state-sealing.key               64 hex digits, mode 0600: seals stage 3's state, never in its state directory
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "security/lab_ca.h"

namespace lab::security {

inline constexpr const char* kLabServerName = "localhost";
inline constexpr const char* kSealingKeyFile = "state-sealing.key";

// Where `agent_id`'s certificate and private key are in a lab CA directory (the layout above).
struct AgentFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};
AgentFiles agent_files(const std::filesystem::path& dir, std::string_view agent_id);

struct LabCaDirectory {
  std::filesystem::path dir;
  std::filesystem::path ca_certificate;
  IssuedCertificate server;
  std::vector<std::pair<std::string, IssuedCertificate>> agents;  // in the order asked for
  std::filesystem::path sealing_key;
  bool created_ca = false;           // false: an existing CA in `dir` issued them
  bool created_sealing_key = false;  // the key is made once and never replaced: the state it sealed would not open
};

// Creates the CA in `dir` (or loads the one there), issues the server's
// certificate and one per agent (replacing earlier ones: a renewal), and makes
// the sealing key if there is none.
Result<LabCaDirectory> prepare_lab_ca_directory(const std::filesystem::path& dir, std::span<const std::string> agents);

}  // namespace lab::security
