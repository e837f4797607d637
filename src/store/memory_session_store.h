// MemorySessionStore: the session table held in this process (stages 1-3).
// Each change except a touch is reported to the ChangeSink, if one is given.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "store/change.h"
#include "store/session_store.h"

namespace lab::store {

class MemorySessionStore final : public SessionStore {
 public:
  explicit MemorySessionStore(ChangeSink* changes = nullptr) : changes_(changes) {}

  bool insert(SessionRecord session) override;
  void put(SessionRecord session) override;
  std::optional<SessionRecord> find(const std::string& id) const override;
  bool touch(const std::string& id, std::int64_t now_ms) override;
  bool erase(const std::string& id) override;
  std::size_t erase_if(const std::function<bool(const SessionRecord&)>& expired) override;
  std::size_t set_role_of_agent(const std::string& agent_id, Role role) override;
  std::vector<SessionRecord> sessions_of_agent(const std::string& agent_id) const override;
  std::size_t size() const override;

  // Replaces the content with saved records (a JSON array). Throws on a
  // malformed record, leaving the store as it was.
  void restore(const Json& sessions);

 private:
  void report(const std::string& id, const SessionRecord* session);  // with mutex_ held; null = removed

  ChangeSink* changes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, SessionRecord> sessions_;
};

}  // namespace lab::store
