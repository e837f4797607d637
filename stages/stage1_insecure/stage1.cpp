#include "stage1_insecure/stage1.h"

#include "coordinator/policy_guards.h"
#include "stage1_insecure/allow_all_access.h"
#include "stage1_insecure/insecure_sessions.h"
#include "store/memory_store_set.h"

namespace lab::stage1 {
namespace {

// Where stage 1 keeps its state: the shared memory stores, saved to a file (when the
// operator gives a state directory) chosen to be as weak as a file can be.
std::shared_ptr<store::StoreSet> make_stores(const coordinator::StageConfig& config) {
  return store::memory_stores(*config.clock, config.state_dir, "stage1_state.json", {
    // VULN V-008: session state in plaintext — session ids, roles and all project data are written as readable JSON, unencrypted.
    .codec = std::make_shared<store::PlaintextJsonCodec>(),
    // VULN V-014: no backup or recovery — the change is acknowledged before it is written, and there is one copy and no journal; a crash loses recent work.
    .write_behind = config.flush_interval,
    // VULN V-013: state corruption — no checksum, MAC or version check: a hand edit loads silently (unparseable means "start empty", without a word to the operator's monitoring).
    .start_empty_when_unreadable = true,
  });
}

}  // namespace

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config) {
  auto build = [&config] {
    coordinator::CoordinatorParts parts;
    parts.stores = make_stores(config);
    parts.sessions = std::make_unique<InsecureSessions>(parts.stores->sessions(), parts.stores->agents(), *config.clock);
    parts.access = std::make_unique<AllowAllAccess>();
    // The chain: who the caller claims to be, and a check that lets everyone through.
    parts.guards.add(std::make_unique<coordinator::SessionGuard>(*parts.sessions,
                                                                 coordinator::ControlLabel{"claimed-identity", {}}));
    parts.guards.add(std::make_unique<coordinator::AccessGuard>(*parts.access, coordinator::ControlLabel{"allow-all", {}}));
    // The request path is: frame -> parse -> session -> handler. What is missing from it:
    // VULN V-022: no replay protection — no nonce or request-id memory; the same request line sent again runs again.
    // VULN V-023: no rate limiting — no per-agent, per-address or per-operation budget; floods and guessing run at full speed.
    // VULN V-030: no audit trail — nothing the server keeps records logins, refusals or role changes; only an optional auditor agent watches the open event stream.
    // VULN V-009: no validation and no size limit — a message of any size is read whole; any content is stored; any status jump is accepted.
    parts.options.stage = 1;
    parts.options.validation = coordinator::ValidationPolicy::none();
    parts.options.max_tasks_per_project = 0;  // no total either (part of V-009)
    // VULN V-012: no synchronization checks — expected_version is ignored, so concurrent updates silently overwrite each other.
    parts.options.check_versions = false;
    // VULN V-020: any agent can perform any action — no ownership: anyone adds tasks anywhere, claims any specialty, updates tasks assigned to others.
    parts.options.object_checks = false;
    // VULN V-024: session hijacking made trivial — the open event stream carries every live session id to every subscriber.
    parts.options.publish_session_ids = true;
    return parts;
  };
  // VULN V-010: nothing is encrypted — plain TCP on the wire carries session ids and payloads readable to anyone on the path.
  net::LineServerOptions server;
  server.bind_address = config.bind_address;
  server.port = config.port;
  server.threads = config.threads;
  // No idle timeout either: a silent or slow connection holds its slot forever (slow-connection-exhaustion).
  server.idle_timeout = std::chrono::milliseconds(0);
  return std::make_unique<coordinator::CoordinatorServer>(build(), server, *config.clock, config.disabled_controls);
}

}  // namespace lab::stage1
