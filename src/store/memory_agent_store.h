// MemoryAgentStore: the agent registry held in this process (stages 1-3).
// Each change is reported to the ChangeSink, if one is given.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "store/agent_store.h"
#include "store/change.h"

namespace lab::store {

class MemoryAgentStore final : public AgentStore {
 public:
  explicit MemoryAgentStore(ChangeSink* changes = nullptr) : changes_(changes) {}

  void set_role(const std::string& agent_id, Role role) override;
  Role role_or_create(const std::string& agent_id, Role initial) override;
  AgentInfo set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) override;
  std::optional<AgentInfo> find(const std::string& agent_id) const override;
  std::vector<AgentInfo> list() const override;

  // Replaces the content with saved records (a JSON array). Throws on a
  // malformed record, leaving the store as it was.
  void restore(const Json& agents);

 private:
  void report(const AgentInfo& agent);  // with mutex_ held

  ChangeSink* changes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, AgentInfo> agents_;
};

}  // namespace lab::store
