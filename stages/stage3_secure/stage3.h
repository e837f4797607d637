// Stage 3 (secure): the full control set, each control a named guard of the
// chain that `lab controls --stage 3` lists and `--disable-control` switches
// off. Clients connect over mutual TLS 1.3 with a certificate from the lab CA
// (`lab ca init`), log in with that certificate's key and a password, and
// sign every request (ECDSA P-256, nonce, timestamp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "coordinator/coordinator_server.h"
#include "security/lab_ca_directory.h"

namespace lab::stage3 {

inline constexpr std::uint16_t kDefaultPort = 7103;
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;  // a frame larger than this is refused as it arrives

// The server's certificate files and the key that seals the state, in the CA directory (`lab ca init`
// writes them; see security/lab_ca_directory.h): the key is never in the state directory.
inline constexpr const char* kServerName = security::kLabServerName;
inline constexpr const char* kSealingKeyFile = security::kSealingKeyFile;

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

// Where the stage's hash-chained audit log goes: stage3_audit.jsonl in the state directory, or a file of
// its own in the system's temporary directory when the stage keeps its state in memory.
std::filesystem::path audit_log_path(const coordinator::StageConfig& config);

}  // namespace lab::stage3
