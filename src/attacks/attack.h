// An attack: a small program that attacks a running stage over real sockets
// and decides, from evidence it collected, whether the attack worked.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/session.h"
#include "net/line_client.h"
#include "redis/redis_connection.h"

namespace lab::attacks {

// kNotApplicable: not run, because the stage has nothing this attack targets
// (the catalog expects "n/a" there, e.g. a password attack on stage 1).
enum class Outcome { kExploited, kBlocked, kError, kNotApplicable };
std::string_view to_string(Outcome outcome);

struct AttackResult {
  Outcome outcome = Outcome::kError;
  std::string evidence;  // what was observed, in one or two sentences
  // For a verdict of "blocked": the server's refusal it rests on, when there
  // was one (the catalog names the code each built stage must answer with).
  std::optional<ErrorCode> refusal;
};

inline AttackResult exploited(std::string evidence) { return {Outcome::kExploited, std::move(evidence), {}}; }
inline AttackResult blocked(std::string evidence) { return {Outcome::kBlocked, std::move(evidence), {}}; }
inline AttackResult failed(std::string evidence) { return {Outcome::kError, std::move(evidence), {}}; }
// The server refused: blocked. But a transport failure (no server, a dropped
// connection, a timeout) is no refusal and gives no verdict.
inline AttackResult refused(const Error& refusal, std::string evidence) {
  if (refusal.code == ErrorCode::kConnectionFailed) return failed("no verdict, the connection failed: " + evidence);
  return {Outcome::kBlocked, std::move(evidence), refusal.code};
}

// How the stage under attack was started, as far as attacks must know it:
// session lifetimes (short in the matrix so that expiry attacks take seconds;
// stages without timeouts ignore them) and test hooks that shrink a search.
struct StageSettings {
  std::chrono::milliseconds idle_timeout{1500};
  std::chrono::milliseconds absolute_timeout{3500};
  // How long a connection may stay silent (stages that close silent connections; others ignore it).
  std::chrono::milliseconds connection_idle_timeout{2500};
  std::chrono::milliseconds flush_interval{100};  // how soon state reaches disk
  // Bits of seed a statistical session-id generator gets (stage 2): 32 is the
  // real thing (minutes to search); the matrix passes fewer (a second).
  int prng_seed_bits = 32;
  // Requests per second each agent may make (stages 3-4; a burst of twice that). Lower than the stages' default
  // (100), so that a flood meets the limit within a session's short lifetime even on a slow (sanitizer) build.
  int agent_requests_per_second = 20;
  // How long an access token lives (stage 5). expired-access-token asks for less than the session's idle timeout,
  // so that a token expires while its session is still live; a browser attack needs time to use one.
  std::chrono::seconds access_token_lifetime{60};
  // Other services the stage's token issuer signs for (stage 5, `--token-audience`): none unless an attack needs one.
  std::vector<std::string> token_audiences;
  // Memory of the Argon2id hashes a stage (3-5) makes of its accounts at every start: the matrix starts a process per
  // cell, and no attack's verdict rests on what a hash costs (login-flood counts the hashes, it does not time them;
  // `lab bench stage5` times sign-ins at the real cost). 0: the stage's default (19 MiB).
  int argon2_memory_kib = 64;
  // Cost of the bcrypt hashes stage 2 makes of its eleven accounts at every start and checks at every login, for the
  // same reason: 2^4 rounds instead of the stage's 2^10, as its own tests use (password-brute-force counts guesses,
  // login-flood counts hashes; neither times them). 0: the stage's default.
  int bcrypt_cost = 4;
};

// Where a stage with several coordinator instances keeps what they share (stage 4: Redis), as the attacks on
// the store itself need it.
struct SharedStore {
  redis::RedisEndpoint endpoint;    // what anyone on the network reaches
  redis::RedisTls tls;              // the store speaks TLS only: trusting the lab CA, no client certificate
  redis::RedisCredentials insider;  // the coordinators' own ACL user: what a leaked config or host gives away
  std::string prefix;               // the keys of this stage's coordinators
};

// Control over a stage process the lab started itself: what a host-level
// attacker (or a crash) can do to it. Absent for a coordinator given by address.
class StageControl {
 public:
  virtual ~StageControl() = default;
  virtual net::ClientOptions endpoint() const = 0;
  virtual std::filesystem::path state_dir() const = 0;
  // SIGKILL: no shutdown code runs.
  virtual void crash() = 0;
  // SIGTERM and wait: a clean shutdown that writes pending state.
  virtual Status stop() = 0;
  // Starts the stage again on the same state directory (the port may change: use endpoint()).
  virtual Status restart() = 0;
  // Stages of several coordinator instances (stage 4): a second instance sharing the first one's state, as the
  // balancer would send a client there (started on first use). nullopt where there is only one coordinator
  // process, or when the second instance did not start (its log says why).
  virtual std::optional<net::ClientOptions> other_instance() { return std::nullopt; }
  // The store the instances share (stage 4's Redis); nullopt where the state is the process's own.
  virtual std::optional<SharedStore> shared_store() const { return std::nullopt; }
};

// The stage under attack.
struct Target {
  int stage = 1;
  net::ClientOptions endpoint;             // the coordinator (loopback)
  std::string other_address = "127.0.0.2";  // where "another host" connects from
  std::string tag = "t";                   // makes agent names of one run unique
  StageSettings settings;
  StageControl* control = nullptr;         // null: attacks that need it report an error
  // Stages with certificates: the lab CA's directory, where every lab agent's <id>.crt/.key are (so that
  // agents log in even when the transport is plain TCP because mutual TLS was switched off).
  std::filesystem::path certificate_dir;
};

class Attack {
 public:
  virtual ~Attack() = default;
  virtual std::string_view id() const = 0;     // kebab-case, as in the catalog
  virtual std::string_view title() const = 0;
  virtual AttackResult run(const Target& target) const = 0;
  // True when the verdict depends on timing or the attack loads the whole
  // machine: the matrix then runs it with no other cell beside it.
  virtual bool runs_alone() const { return false; }
  // True for a long cell that waits much (a browser starting, pages settling): the matrix hands it out first, so
  // that the short cells fill the cores around it instead of it finishing last.
  virtual bool starts_early() const { return false; }
  // What the attack needs of the stage beyond the matrix's settings (e.g. tokens short enough to watch expire);
  // the stage under attack is started with the adjusted settings, and the attack is told them.
  virtual void adjust(StageSettings&) const {}
};

// Every attack, in catalog order.
const std::vector<const Attack*>& all_attacks();
const Attack* find_attack(std::string_view id);

// Endpoint of `target`, connecting from the other address.
net::ClientOptions from_other_host(const Target& target);

// Agents of an attack scenario, named uniquely per run.
client::Identity victim_identity(const Target& target, Role role = Role::kCoordinator);
client::Identity attacker_identity(const Target& target, Role role = Role::kWorker);
client::Identity admin_identity(const Target& target);
// Lab user `user` where the stage checks passwords (with its certificate, where the target has a lab CA), the
// claimed name `claimed_name-<tag>` where it believes claims.
client::Identity lab_user_identity(const Target& target, const std::string& claimed_name, const std::string& user,
                                   Role role);
// `claimed`, presenting the certificate the attacker's connections carry (the insider's, on stages with
// mutual TLS: a lab certificate that names another agent) instead of the claimed agent's own.
client::Identity insider_claiming(const Target& target, client::Identity claimed);

}  // namespace lab::attacks
