#include "stage2_improved/stage2.h"

#include <stdexcept>

#include "coordinator/address_binding_guard.h"
#include "coordinator/front_control.h"
#include "coordinator/policy_guards.h"
#include "embedded/embedded_files.h"
#include "stage2_improved/improved_sessions.h"
#include "stage2_improved/input_rules.h"
#include "stage2_improved/weak_role_access.h"
#include "store/memory_store_set.h"

namespace lab::stage2 {
namespace {

// Stage 1's state file, unchanged: the memory stores saved as weakly as before.
std::shared_ptr<store::StoreSet> make_stores(const coordinator::StageConfig& config) {
  return store::memory_stores(*config.clock, config.state_dir, "stage2_state.json", {
    // VULN V-008: still plaintext — session ids, their signing keys, roles and all project data are readable JSON on disk.
    .codec = std::make_shared<store::PlaintextJsonCodec>(),
    // VULN V-014: still acknowledged before written — one copy, no journal; a crash loses recent work.
    .write_behind = config.flush_interval,
    // VULN V-013: still no checksum, MAC or version check — a hand edit loads silently; an unparseable file means "start empty".
    .start_empty_when_unreadable = true,
  });
}

// The chain, in the order it runs.
void add_controls(coordinator::CoordinatorParts& parts) {
  parts.guards.add(std::make_unique<coordinator::FrontControl>(
      coordinator::ControlLabel{"message-size-limit", {}}, ErrorCode::kMessageTooLarge,
      [](net::LineServerOptions& front) { front.max_line_bytes = 0; }));
  parts.guards.add(std::make_unique<coordinator::SessionGuard>(
      *parts.sessions, coordinator::ControlLabel{"signed-session", {"V-001", "V-018"}}));
  // VULN V-004: partial — the address-binding control runs in shadow mode: a session used from another address is only logged, and the request is served.
  parts.guards.add(std::make_unique<coordinator::AddressBindingGuard>(), coordinator::GuardMode::kShadow);
  parts.guards.add(
      std::make_unique<coordinator::AccessGuard>(*parts.access, coordinator::ControlLabel{"two-role-checks", {}}));
  parts.guards.add(
      std::make_unique<coordinator::PayloadRulesGuard>(check_lengths, coordinator::ControlLabel{"length-limits", {}}));
}

}  // namespace

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config) {
  const std::string_view text = embedded::file("sample_data/valid_credentials.json").value_or("");
  auto credentials = CredentialStore::from_json(text, config.bcrypt_cost > 0 ? config.bcrypt_cost : kDefaultBcryptCost);
  if (!credentials) throw std::runtime_error(credentials.error().message);
  SessionOptions sessions;
  if (config.idle_timeout.count() > 0) sessions.idle_timeout = config.idle_timeout;
  sessions.prng_seed_bits = config.prng_seed_bits;

  auto build = [&config, &sessions, &credentials] {
    coordinator::CoordinatorParts parts;
    parts.stores = make_stores(config);
    parts.sessions = std::make_unique<ImprovedSessions>(std::move(*credentials), parts.stores->sessions(),
                                                        parts.stores->agents(), sessions, *config.clock);
    parts.access = make_weak_role_access();
    // VULN V-009: partial — a 1 MiB message limit and type/length checks, A2A transitions enforced; nothing deeper.
    parts.options.stage = 2;
    parts.options.validation = coordinator::ValidationPolicy{kMaxMessageBytes, true};
    add_controls(parts);
    // VULN V-012: no synchronization checks — expected_version is still ignored; the last write silently wins.
    parts.options.check_versions = false;
    // VULN V-020: partial — no ownership checks: any agent updates any task, adds tasks to any project.
    parts.options.object_checks = false;
    // VULN V-024: partial — the event stream no longer carries session ids, but a captured id and key still work from any host.
    parts.options.publish_session_ids = false;
    parts.options.max_tasks_per_project = kMaxTasksPerProject;
    // Basic logging: every refusal (signature, timestamp, permission, ...) is a warning in the server's log.
    parts.options.log_refusals = true;
    // VULN V-023: no rate limiting — logins, guesses and requests run at full speed.
    // VULN V-030: no comprehensive audit — a few log lines on the console; no durable, tamper-evident server-side audit trail.
    return parts;
  };
  // VULN V-010: still plain TCP — session ids, signing keys and payloads cross the wire readable.
  net::LineServerOptions server;
  server.bind_address = config.bind_address;
  server.port = config.port;
  server.threads = config.threads;
  return std::make_unique<coordinator::CoordinatorServer>(build(), server, *config.clock, config.disabled_controls);
}

}  // namespace lab::stage2
