// An attack: a small program that attacks a running stage over real sockets
// and decides, from evidence it collected, whether the attack worked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/stage_session.h"
#include "net/line_client.h"

namespace lab::attacks {

enum class Outcome { kExploited, kBlocked, kError };
std::string_view to_string(Outcome outcome);

struct AttackResult {
  Outcome outcome = Outcome::kError;
  std::string evidence;  // what was observed, in one or two sentences
};

inline AttackResult exploited(std::string evidence) { return {Outcome::kExploited, std::move(evidence)}; }
inline AttackResult blocked(std::string evidence) { return {Outcome::kBlocked, std::move(evidence)}; }
inline AttackResult failed(std::string evidence) { return {Outcome::kError, std::move(evidence)}; }

// The stage under attack.
struct Target {
  int stage = 1;
  net::ClientOptions endpoint;             // the coordinator (loopback)
  std::string other_address = "127.0.0.2";  // where "another host" connects from
  std::string tag = "t";                   // makes agent names of one run unique
};

class Attack {
 public:
  virtual ~Attack() = default;
  virtual std::string_view id() const = 0;     // kebab-case, as in the catalog
  virtual std::string_view title() const = 0;
  virtual AttackResult run(const Target& target) const = 0;
};

// Every attack, in catalog order.
const std::vector<const Attack*>& all_attacks();
const Attack* find_attack(std::string_view id);

// Endpoint of `target`, connecting from the other address.
net::ClientOptions from_other_host(const Target& target);

// Agents of an attack scenario, named uniquely per run.
agents::Identity victim_identity(const Target& target, Role role = Role::kCoordinator);
agents::Identity attacker_identity(const Target& target, Role role = Role::kWorker);
agents::Identity admin_identity(const Target& target);

}  // namespace lab::attacks
