#include "coordinator/agent_directory.h"

#include <algorithm>

namespace lab::coordinator {

void AgentDirectory::set_role(const std::string& agent_id, Role role) {
  std::lock_guard lock(mutex_);
  auto& a = agents_[agent_id];
  a.id = agent_id;
  a.role = role;
}

Role AgentDirectory::role_or_create(const std::string& agent_id, Role initial) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = agents_.try_emplace(agent_id);
  if (inserted) {
    it->second.id = agent_id;
    it->second.role = initial;
  }
  return it->second.role;
}

AgentInfo AgentDirectory::set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) {
  std::vector<Specialty> distinct;  // in the order first given
  for (Specialty s : specialties) {
    if (std::find(distinct.begin(), distinct.end(), s) == distinct.end()) distinct.push_back(s);
  }
  specialties = std::move(distinct);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = agents_.try_emplace(agent_id);
  it->second.id = agent_id;
  if (inserted) it->second.role = Role::kWorker;
  it->second.specialties = std::move(specialties);
  return it->second;
}

std::optional<AgentInfo> AgentDirectory::find(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  auto it = agents_.find(agent_id);
  if (it == agents_.end()) return std::nullopt;
  return it->second;
}

std::vector<AgentInfo> AgentDirectory::list() const {
  std::lock_guard lock(mutex_);
  std::vector<AgentInfo> out;
  for (const auto& [id, a] : agents_) out.push_back(a);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return out;
}

Json AgentDirectory::snapshot() const {
  Json out = Json::array();
  for (const auto& a : list()) out.push_back(to_json(a));
  return out;
}

void AgentDirectory::restore(const Json& snapshot) {
  std::unordered_map<std::string, AgentInfo> fresh;
  for (const auto& j : snapshot) {
    AgentInfo a = agent_from_json(j);
    fresh.emplace(a.id, std::move(a));
  }
  std::lock_guard lock(mutex_);
  agents_ = std::move(fresh);
}

}  // namespace lab::coordinator
