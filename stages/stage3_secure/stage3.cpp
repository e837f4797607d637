#include "stage3_secure/stage3.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>

#include "coordinator/current_role_access.h"
#include "coordinator/front_control.h"
#include "coordinator/lockout_guard.h"
#include "coordinator/nonce_guard.h"
#include "coordinator/policy_guards.h"
#include "coordinator/property_control.h"
#include "coordinator/rate_limit_guard.h"
#include "coordinator/request_signature_guard.h"
#include "coordinator/session_binding_guard.h"
#include "core/file_io.h"
#include "core/json_fields.h"
#include "embedded/embedded_files.h"
#include "stage2_improved/input_rules.h"
#include "stage3_secure/payload_schemas.h"
#include "stage3_secure/secure_sessions.h"
#include "security/hmac.h"
#include "security/key256.h"
#include "security/sealed_record.h"
#include "store/audit_trail.h"
#include "store/memory_store_set.h"
#include "store/sealed_journal_persistence.h"

namespace lab::stage3 {
namespace {

namespace fs = std::filesystem;
using coordinator::ControlLabel;
using coordinator::Permission;

// The controls that are properties of the composition: the stage reads their switches while it builds itself.
constexpr const char* kSealedState = "sealed-durable-state";
constexpr const char* kAuditLog = "audit-log";
constexpr const char* kVersionCheck = "version-check";
constexpr const char* kObjectOwnership = "object-ownership";
constexpr const char* kWholePasswordHash = "whole-password-hash";

std::string read_required(const fs::path& file) {
  auto text = read_file(file);
  if (!text) {
    throw std::invalid_argument("stage 3 needs the lab CA's files: " + file.string() +
                                " is missing (run ./lab ca init, or pass --certificates DIR)");
  }
  return *text;
}

void add_controls(coordinator::CoordinatorParts& parts, SecureSessions& sessions) {
  SecurityState& s = sessions.state();
  auto end_session = [&sessions](const coordinator::Caller& caller, const std::string&) {
    sessions.end_session(caller);
  };
  auto& chain = parts.guards;
  using namespace coordinator;
  chain.add(std::make_unique<FrontControl>(ControlLabel{"mutual-tls", {"V-010", "V-024"}}, ErrorCode::kConnectionFailed,
                                           [](net::LineServerOptions& front) { front.tls.reset(); }));
  chain.add(std::make_unique<FrontControl>(ControlLabel{"message-size-limit", {"V-009"}}, ErrorCode::kMessageTooLarge,
                                           [](net::LineServerOptions& front) { front.max_line_bytes = 0; }));
  chain.add(std::make_unique<FrontControl>(
      ControlLabel{"connection-deadline", {"V-023"}}, ErrorCode::kConnectionFailed,
      [](net::LineServerOptions& front) { front.idle_timeout = std::chrono::milliseconds(0); }));
  chain.add(std::make_unique<RateLimitGuard>(*s.per_address, RateKey::kAddress, RateScope::kEveryRequest,
                                             ControlLabel{"address-rate-limit", {"V-023"}}));
  chain.add(std::make_unique<RateLimitGuard>(*s.logins_per_address, RateKey::kAddress, RateScope::kLoginOnly,
                                             ControlLabel{"login-throttle", {"V-023"}}));
  chain.add(std::make_unique<LockoutGuard>(*s.lockout, ControlLabel{"account-lockout", {"V-026"}}));
  chain.add(std::make_unique<SessionGuard>(
      sessions, ControlLabel{"session-validation", {"V-001", "V-002", "V-003", "V-006", "V-025", "V-027", "V-028"}}));
  chain.add(std::make_unique<RequestSignatureGuard>(s.keys, ControlLabel{"request-signature", {"V-017", "V-018", "V-029"}}));
  chain.add(std::make_unique<SessionBindingGuard>(Binding::kAddress, ErrorCode::kAddressMismatch,
                                                  ControlLabel{"address-binding", {"V-004"}}, end_session));
  chain.add(std::make_unique<SessionBindingGuard>(Binding::kCertificate, ErrorCode::kCertificateMismatch,
                                                  ControlLabel{"certificate-binding", {"V-005"}}, end_session));
  chain.add(std::make_unique<SessionBindingGuard>(Binding::kClient, ErrorCode::kClientMismatch,
                                                  ControlLabel{"client-binding", {"V-005"}}, end_session));
  chain.add(std::make_unique<NonceGuard>(*s.nonces, ControlLabel{"replay-protection", {"V-022"}}));
  chain.add(std::make_unique<RateLimitGuard>(*s.per_agent, RateKey::kAgent, RateScope::kEveryRequest,
                                             ControlLabel{"agent-rate-limit", {"V-023"}}));
  chain.add(std::make_unique<AccessGuard>(*parts.access, ControlLabel{"rbac", {"V-019", "V-011"}}));
  chain.add(std::make_unique<PayloadRulesGuard>(check_payload, ControlLabel{"input-validation", {"V-009", "V-031"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kWholePasswordHash, {"V-032"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kVersionCheck, {"V-012"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kObjectOwnership, {"V-020"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kSealedState, {"V-008", "V-013", "V-014"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kAuditLog, {"V-030"}}));
}

}  // namespace

// RBAC over the operation table: every permission names the roles that hold it; nothing is open by omission.
coordinator::RolePermissions::Rules secure_role_rules() {
  const std::set<Role> everyone{Role::kAdmin, Role::kCoordinator, Role::kWorker, Role::kObserver};
  // FIX V-019: every operation's permission lists its roles; a worker cannot create projects or change roles.
  return {
      {Permission::kSessionOpen, everyone},
      {Permission::kSessionEnd, everyone},
      {Permission::kSessionRead, everyone},
      {Permission::kAgentRegister, {Role::kWorker, Role::kAdmin}},
      {Permission::kProjectCreate, {Role::kCoordinator, Role::kAdmin}},
      {Permission::kProjectRead, everyone},
      {Permission::kTaskCreate, {Role::kCoordinator, Role::kAdmin}},
      {Permission::kTaskRead, everyone},
      {Permission::kTaskClaim, {Role::kWorker}},
      {Permission::kTaskUpdate, {Role::kWorker, Role::kCoordinator, Role::kAdmin}},
      // FIX V-021: only an admin changes roles.
      {Permission::kRoleChange, {Role::kAdmin}},
      // The full event stream is audit data: observers (the auditor) and admins only.
      {Permission::kEventsSubscribe, {Role::kObserver, Role::kAdmin}},
      // Session monitoring shows every agent's bindings: the same audience as the event stream.
      {Permission::kSessionMonitor, {Role::kObserver, Role::kAdmin}},
      {Permission::kSessionMigrate, everyone},
      {Permission::kStateBackup, {Role::kAdmin}},
      {Permission::kSessionRevoke, {Role::kAdmin}},
      {Permission::kAgentEnroll, {Role::kCoordinator, Role::kAdmin}},
  };
}

// The stage's state: in memory only, or (with a state directory) in a sealed SQLite journal whose key lives
// beside the CA, never in the state directory.
std::shared_ptr<store::StoreSet> secure_stores(const coordinator::StageConfig& config) {
  if (config.state_dir.empty()) return std::make_shared<store::MemoryStoreSet>(*config.clock);
  if (coordinator::is_switched_off(config.disabled_controls, kSealedState)) {
    // Switched off: the state goes where stage 2 keeps it, a plaintext file written behind the answers.
    return store::memory_stores(*config.clock, config.state_dir, "stage3_state.json",
                                {.codec = std::make_shared<store::PlaintextJsonCodec>(),
                                 .write_behind = config.flush_interval,
                                 .start_empty_when_unreadable = true});
  }
  auto keyring = sealing_keyring(config.certificate_dir);
  if (!keyring) throw std::invalid_argument(keyring.error().message);
  // FIX V-008: records are sealed with AES-256-GCM; neither ids, keys nor board data are readable at rest.
  // FIX V-013: each record is bound to its kind, key and version, and a manifest to the whole set: an edit, a swap
  // or a rollback of a row refuses the start instead of loading.
  // The journal's sequence is also kept beside the key, out of the state directory's reach: the whole file put
  // back from an older copy (consistent in itself) is refused as well.
  auto mark = sequence_mark(config.state_dir, config.certificate_dir);
  if (!mark) throw std::invalid_argument("stage 3's sealed state: " + mark.error().message);
  // FIX V-014: a change is answered only once its transaction committed with synchronous=FULL (group commit).
  auto journal = store::SealedJournal::open(state_journal_path(config.state_dir), std::move(*keyring),
                                            store::SealedJournalOptions{.min_sequence = mark->value()});
  if (!journal) {
    std::string message = "stage 3's sealed state: " + journal.error().message;
    if (mark->value() > 0) {
      message += " (the high-water mark " + store::SequenceMark::path_for(config.certificate_dir,
                                                                          state_journal_path(config.state_dir))
                                                .string() +
                 " expects sequence " + std::to_string(mark->value()) +
                 "; to put a backup back use lab restore; to start afresh on purpose, delete that mark too)";
    }
    throw std::invalid_argument(message);
  }
  return std::make_shared<store::MemoryStoreSet>(
      *config.clock, std::make_unique<store::SealedJournalPersistence>(std::move(*journal), std::move(*mark)));
}

// FIX V-030: every login, refusal, session event and privileged action goes to a hash-chained audit log.
void start_audit_trail(store::StoreSet& stores, const coordinator::StageConfig& config) {
  if (coordinator::is_switched_off(config.disabled_controls, kAuditLog)) {
    spdlog::warn("the audit log is switched off: nothing records logins, refusals or privileged actions");
    return;
  }
  const fs::path file = audit_log_path(config);
  security::AuditLogOptions options{.path = file, .sync_every_append = false, .clock = config.clock};
  auto log = security::AuditLog::open(options);
  if (!log) throw std::invalid_argument("stage 3 cannot keep its audit log: " + log.error().message);
  spdlog::info("audit log: {} (check it with: lab audit verify {})", file.string(), file.string());
  stores.events().subscribe(std::make_shared<store::AuditTrail>(std::move(*log)));
}


AccountRoster secure_accounts(const coordinator::StageConfig& config) {
  security::Argon2Params argon2;
  if (config.argon2_memory_kib > 0) argon2.memory_bytes = static_cast<std::size_t>(config.argon2_memory_kib) * 1024;
  const auto password_hash = coordinator::is_switched_off(config.disabled_controls, kWholePasswordHash)
                                 ? PasswordHash::kBcrypt
                                 : PasswordHash::kArgon2id;
  auto roster = AccountRoster::from_json(embedded::file("sample_data/valid_credentials.json").value_or(""), argon2,
                                         password_hash);
  if (!roster) throw std::runtime_error(roster.error().message);
  return std::move(*roster);
}

fs::path state_journal_path(const fs::path& state_dir) { return state_dir / "stage3_state.db"; }

Result<security::SealingKeyring> sealing_keyring(const fs::path& certificate_dir) {
  const fs::path key_file = certificate_dir / kSealingKeyFile;
  auto key_text = read_file(key_file);
  if (!key_text) {
    return Error{ErrorCode::kInvalidField, "stage 3's sealing key " + key_file.string() +
                                               " is missing (run ./lab ca init, or pass --certificates DIR)"};
  }
  while (!key_text->empty() && (key_text->back() == '\n' || key_text->back() == '\r')) key_text->pop_back();
  auto key = security::Key256::from_hex(*key_text);
  if (!key) return Error{ErrorCode::kInvalidField, key_file.string() + " does not hold a 256-bit key (64 hex digits)"};
  return security::SealingKeyring::make(security::SealingKey{1, *key});
}

Result<store::SequenceMark> sequence_mark(const fs::path& state_dir, const fs::path& certificate_dir) {
  return store::SequenceMark::open(store::SequenceMark::path_for(certificate_dir, state_journal_path(state_dir)));
}

Result<std::uint64_t> restore_state(const fs::path& backup, const fs::path& state_dir, const fs::path& certificate_dir) {
  LAB_ASSIGN_OR_RETURN(auto keyring, sealing_keyring(certificate_dir));
  LAB_ASSIGN_OR_RETURN(auto mark, sequence_mark(state_dir, certificate_dir));
  LAB_ASSIGN_OR_RETURN(const std::uint64_t restored,
                       store::SealedJournal::restore(backup, state_journal_path(state_dir), keyring));
  // A restore is a deliberate rollback: the mark follows it down.
  if (auto s = mark.reset(restored); !s) return s.error();
  return restored;
}
fs::path backup_directory(const fs::path& state_dir) { return state_dir / "backups"; }

fs::path audit_log_path(const coordinator::StageConfig& config) {
  if (!config.state_dir.empty()) return config.state_dir / "stage3_audit.jsonl";
  // Kept in memory otherwise, but the audit trail is never optional: it goes to the temporary directory.
  return fs::temp_directory_path() /
         ("lab-stage3-audit-" + std::to_string(::getpid()) + "-" + security::random_hex(4) + ".jsonl");
}

std::unique_ptr<coordinator::CoordinatorServer> compose_secure_server(const coordinator::StageConfig& config,
                                                                      SecureBackends backends) {
  const fs::path dir = config.certificate_dir;
  const std::string ca_pem = read_required(dir / "ca.crt");
  read_required(dir / (std::string(kServerName) + ".crt"));
  AccountRoster roster = secure_accounts(config);
  SecureSessionOptions options;
  if (config.idle_timeout.count() > 0) options.idle_timeout = config.idle_timeout;
  if (config.absolute_timeout.count() > 0) options.absolute_timeout = config.absolute_timeout;
  if (config.max_sessions_per_agent > 0) options.max_sessions_per_agent = config.max_sessions_per_agent;

  coordinator::CoordinatorParts parts;
  parts.stores = std::move(backends.stores);
  parts.admission = std::move(backends.admission);
  start_audit_trail(*parts.stores, config);
  auto state = std::make_unique<SecurityState>(ca_pem, std::move(roster), *config.clock, std::move(backends.shared));
  auto sessions = std::make_unique<SecureSessions>(std::move(state), parts.stores->sessions(), parts.stores->agents(),
                                                   options, *config.clock);
  SecureSessions& policy = *sessions;
  parts.sessions = std::move(sessions);
  parts.access = std::make_unique<coordinator::CurrentRoleAccess>(secure_role_rules(), parts.stores->agents());
  parts.options.stage = backends.stage;
  parts.options.validation = coordinator::ValidationPolicy{kMaxMessageBytes, true};
  // FIX V-012: expected_version is checked on every update; a stale write is refused with VERSION_CONFLICT.
  parts.options.check_versions = !coordinator::is_switched_off(config.disabled_controls, kVersionCheck);
  // FIX V-020: object-level rules: a worker updates only the task it claimed, a coordinator only its projects.
  parts.options.object_checks = !coordinator::is_switched_off(config.disabled_controls, kObjectOwnership);
  // FIX V-024: the event stream names sessions by fingerprint only, and only observers and admins receive it.
  parts.options.publish_session_ids = false;
  parts.options.max_tasks_per_project = stage2::kMaxTasksPerProject;
  // Online backups (backup_state, an admin's) go beside the state, where `lab restore` finds them.
  if (!config.state_dir.empty() && backends.stage == 3) parts.options.backup_dir = backup_directory(config.state_dir);
  add_controls(parts, policy);
  for (auto& label : backends.composition_controls) {
    parts.guards.add(std::make_unique<coordinator::PropertyControl>(std::move(label)));
  }

  net::LineServerOptions server;
  server.bind_address = config.bind_address;
  server.port = config.port;
  server.threads = config.threads;
  // FIX V-010: TLS 1.3 only, mutual: a client without a certificate from the lab CA never gets a byte through.
  server.tls = net::TlsServerFiles{(dir / (std::string(kServerName) + ".crt")).string(),
                                   (dir / (std::string(kServerName) + ".key")).string(), (dir / "ca.crt").string()};
  // FIX V-023: a connection that sends nothing for 5 minutes (configurable) is closed, a silent TLS handshake
  // too; slow or idle peers cannot pile up.
  server.idle_timeout = config.connection_idle_timeout.count() > 0 ? config.connection_idle_timeout
                                                                   : std::chrono::minutes(5);
  server.proxy_protocol = std::move(backends.proxy_protocol);
  return std::make_unique<coordinator::CoordinatorServer>(std::move(parts), server, *config.clock,
                                                          config.disabled_controls);
}

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config) {
  return compose_secure_server(config, SecureBackends{.stores = secure_stores(config),
                                                      .shared = SharedControlState::in_process(
                                                          *config.clock,
                                                          SharedControlState::per_agent_limits(
                                                              config.agent_requests_per_second),
                                                          SharedControlState::per_address_limits(
                                                              config.address_requests_per_second))});
}

}  // namespace lab::stage3
