// AgentDirectory: the registry of known agents, their role and specialties.
// Thread safety: all methods may be called concurrently.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain.h"

namespace lab::coordinator {

class AgentDirectory {
 public:
  // Creates the agent or updates its role.
  void set_role(const std::string& agent_id, Role role);
  // The agent's standing role; a new agent is created with `initial` first.
  Role role_or_create(const std::string& agent_id, Role initial);
  // Creates the agent (as a worker) or replaces its specialties (each kept
  // once, whatever the request repeated).
  AgentInfo set_specialties(const std::string& agent_id, std::vector<Specialty> specialties);
  std::optional<AgentInfo> find(const std::string& agent_id) const;
  std::vector<AgentInfo> list() const;

  Json snapshot() const;
  void restore(const Json& snapshot);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, AgentInfo> agents_;
};

}  // namespace lab::coordinator
