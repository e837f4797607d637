#include "store/memory_session_store.h"

namespace lab::store {

void MemorySessionStore::report(const std::string& id, const SessionRecord* session) {
  if (changes_) changes_->record(Change{Collection::kSessions, id, session ? to_json(*session) : Json(nullptr)});
}

bool MemorySessionStore::insert(SessionRecord session) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = sessions_.try_emplace(session.id, std::move(session));
  if (inserted) report(it->first, &it->second);
  return inserted;
}

void MemorySessionStore::put(SessionRecord session) {
  std::lock_guard lock(mutex_);
  const std::string id = session.id;
  auto& stored = sessions_[id] = std::move(session);
  report(id, &stored);
}

std::optional<SessionRecord> MemorySessionStore::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

bool MemorySessionStore::touch(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  it->second.last_seen_ms = now_ms;
  return true;
}

bool MemorySessionStore::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (sessions_.erase(id) == 0) return false;
  report(id, nullptr);
  return true;
}

std::size_t MemorySessionStore::erase_if(const std::function<bool(const SessionRecord&)>& expired) {
  std::lock_guard lock(mutex_);
  std::size_t erased = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (!expired(it->second)) {
      ++it;
      continue;
    }
    report(it->first, nullptr);
    it = sessions_.erase(it);
    ++erased;
  }
  return erased;
}

std::size_t MemorySessionStore::set_role_of_agent(const std::string& agent_id, Role role) {
  std::lock_guard lock(mutex_);
  std::size_t changed = 0;
  for (auto& [id, s] : sessions_) {
    if (s.agent_id != agent_id || s.role == role) continue;
    s.role = role;
    report(id, &s);
    ++changed;
  }
  return changed;
}

std::vector<SessionRecord> MemorySessionStore::sessions_of_agent(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  std::vector<SessionRecord> out;
  for (const auto& [id, s] : sessions_) {
    if (s.agent_id == agent_id) out.push_back(s);
  }
  return out;
}

std::size_t MemorySessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void MemorySessionStore::restore(const Json& sessions) {
  std::unordered_map<std::string, SessionRecord> fresh;
  for (const auto& j : sessions) {
    SessionRecord s = session_from_json(j);
    fresh.emplace(s.id, std::move(s));
  }
  std::lock_guard lock(mutex_);
  sessions_ = std::move(fresh);
}

}  // namespace lab::store
