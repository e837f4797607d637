#include "store/memory_agent_store.h"

#include <algorithm>

namespace lab::store {

void MemoryAgentStore::report(const AgentInfo& agent) {
  if (changes_) changes_->record(Change{Collection::kAgents, agent.id, to_json(agent)});
}

void MemoryAgentStore::set_role(const std::string& agent_id, Role role) {
  std::lock_guard lock(mutex_);
  auto& a = agents_[agent_id];
  a.id = agent_id;
  a.role = role;
  report(a);
}

Role MemoryAgentStore::role_or_create(const std::string& agent_id, Role initial) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = agents_.try_emplace(agent_id);
  if (inserted) {
    it->second.id = agent_id;
    it->second.role = initial;
    report(it->second);
  }
  return it->second.role;
}

AgentInfo MemoryAgentStore::set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) {
  std::vector<Specialty> distinct;  // in the order first given
  for (Specialty s : specialties) {
    if (std::find(distinct.begin(), distinct.end(), s) == distinct.end()) distinct.push_back(s);
  }
  std::lock_guard lock(mutex_);
  auto [it, inserted] = agents_.try_emplace(agent_id);
  it->second.id = agent_id;
  if (inserted) it->second.role = Role::kWorker;
  it->second.specialties = std::move(distinct);
  report(it->second);
  return it->second;
}

std::optional<AgentInfo> MemoryAgentStore::find(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  auto it = agents_.find(agent_id);
  if (it == agents_.end()) return std::nullopt;
  return it->second;
}

std::vector<AgentInfo> MemoryAgentStore::list() const {
  std::lock_guard lock(mutex_);
  std::vector<AgentInfo> out;
  out.reserve(agents_.size());
  for (const auto& [id, a] : agents_) out.push_back(a);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return out;
}

void MemoryAgentStore::restore(const Json& agents) {
  std::unordered_map<std::string, AgentInfo> fresh;
  for (const auto& j : agents) {
    AgentInfo a = agent_from_json(j);
    fresh.emplace(a.id, std::move(a));
  }
  std::lock_guard lock(mutex_);
  agents_ = std::move(fresh);
}

}  // namespace lab::store
