// Stage 3 (secure): the full control set, each control a named guard of the
// chain that `lab controls --stage 3` lists and `--disable-control` switches
// off. Clients connect over mutual TLS 1.3 with a certificate from the lab CA
// (`lab ca init`), log in with that certificate's key and a password, and
// sign every request (ECDSA P-256, nonce, timestamp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "coordinator/coordinator_server.h"
#include "coordinator/optimistic_admission.h"
#include "coordinator/policy_guards.h"
#include "coordinator/role_permissions.h"
#include "stage3_secure/account_roster.h"
#include "core/result.h"
#include "security/lab_ca_directory.h"
#include "security/sealed_record.h"
#include "stage3_secure/secure_sessions.h"
#include "store/sequence_mark.h"
#include "store/store_set.h"

namespace lab::stage3 {

inline constexpr std::uint16_t kDefaultPort = 7103;
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;  // a frame larger than this is refused as it arrives

// The server's certificate files and the key that seals the state, in the CA directory (`lab ca init`
// writes them; see security/lab_ca_directory.h): the key is never in the state directory.
inline constexpr const char* kServerName = security::kLabServerName;
inline constexpr const char* kSealingKeyFile = security::kSealingKeyFile;

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config);

// What a secure stage keeps where: stage 3 keeps everything in the process (and its sealed journal); stage 4
// composes the same chain of controls over stores, nonces and rate budgets in Redis, behind a balancer.
struct SecureBackends {
  std::shared_ptr<store::StoreSet> stores;
  SharedControlState shared;
  std::optional<net::ProxyProtocolOptions> proxy_protocol;  // the client address from the balancer's header
  int stage = 3;
  // Controls that are properties of how these backends were composed (stage 4: nonces and budgets shared in
  // Redis, Redis's own authentication), listed after stage 3's: `lab controls` shows them, `--disable-control`
  // names them, and whoever composed the backends read their switches.
  std::vector<coordinator::ControlLabel> composition_controls;
  // How a request is admitted in one round trip to the shared state (stage 4); null: control by control.
  std::unique_ptr<coordinator::OptimisticAdmission> admission;
};
// The secure stage's composition — accounts, session policy, the chain of controls, mutual TLS — over `backends`.
std::unique_ptr<coordinator::CoordinatorServer> compose_secure_server(const coordinator::StageConfig& config,
                                                                      SecureBackends backends);

// The pieces a secure stage is composed of, shared by stage 3, its distributed form (stage 4) and the web stage
// (stage 5):
// RBAC over the operation table: every permission names the roles that hold it.
coordinator::RolePermissions::Rules secure_role_rules();
// The stage's state: in memory, or (with a state directory) a sealed journal whose key lives beside the CA.
std::shared_ptr<store::StoreSet> secure_stores(const coordinator::StageConfig& config);
// The enrolled accounts, hashed with Argon2id (bcrypt with whole-password-hash switched off).
AccountRoster secure_accounts(const coordinator::StageConfig& config);
// Subscribes the hash-chained audit log to `stores`' events (unless audit-log is switched off).
void start_audit_trail(store::StoreSet& stores, const coordinator::StageConfig& config);

// Where the stage's hash-chained audit log goes: stage3_audit.jsonl in the state directory, or a file of
// its own in the system's temporary directory when the stage keeps its state in memory.
std::filesystem::path audit_log_path(const coordinator::StageConfig& config);

// The sealed journal of a state directory, and the folder beside it where online backups (backup_state) go.
std::filesystem::path state_journal_path(const std::filesystem::path& state_dir);
std::filesystem::path backup_directory(const std::filesystem::path& state_dir);
// The keyring that seals the state, from the CA directory's key file (never the state directory).
Result<security::SealingKeyring> sealing_keyring(const std::filesystem::path& certificate_dir);
// The high-water mark of the state directory's journal, kept in the CA directory beside the sealing key.
Result<store::SequenceMark> sequence_mark(const std::filesystem::path& state_dir,
                                          const std::filesystem::path& certificate_dir);
// Verifies `backup` under that key, then puts it in place of the state directory's journal and verifies the
// result (the stage must be stopped: a journal in use is refused), and sets the mark to the backup's sequence.
// Returns the restored sequence.
Result<std::uint64_t> restore_state(const std::filesystem::path& backup, const std::filesystem::path& state_dir,
                                    const std::filesystem::path& certificate_dir);

}  // namespace lab::stage3
