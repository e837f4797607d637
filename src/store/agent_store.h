// AgentStore: the registry of known agents, their role and specialties.
// Thread safety: every implementation may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/domain.h"

namespace lab::store {

class AgentStore {
 public:
  virtual ~AgentStore() = default;
  // Creates the agent or updates its role.
  virtual void set_role(const std::string& agent_id, Role role) = 0;
  // The agent's standing role; a new agent is created with `initial` first.
  virtual Role role_or_create(const std::string& agent_id, Role initial) = 0;
  // Creates the agent (as a worker) or replaces its specialties (each kept
  // once, whatever the request repeated).
  virtual AgentInfo set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) = 0;
  virtual std::optional<AgentInfo> find(const std::string& agent_id) const = 0;
  virtual std::vector<AgentInfo> list() const = 0;  // by id
};

}  // namespace lab::store
