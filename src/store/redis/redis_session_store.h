// RedisSessionStore: stage 4's session table. A session is a Redis hash under `<prefix>sess:<id>` (the id as the
// stage gives it: stage 4 keeps only the SHA-256 of a session id, in hex) holding its version, its agent, and the
// record sealed to that id and version; the key's TTL is the idle timeout, so an idle session disappears from
// Redis by itself, on every instance at once. Each agent's sessions are a set `<prefix>agent-sessions:<agent>`,
// for the session cap and forced logout. Writes go through the function library data/redis/lab_sessions.lua.
#pragma once

#include <string>
#include <vector>

#include "store/redis/redis_store_options.h"
#include "store/session_store.h"

namespace lab::store {

class RedisSessionStore final : public SessionStore {
 public:
  explicit RedisSessionStore(RedisStoreOptions options) : options_(std::move(options)) {}

  bool insert(SessionRecord session) override;
  void put(SessionRecord session) override;
  std::optional<SessionRecord> find(const std::string& id) const override;
  bool touch(const std::string& id, std::int64_t now_ms) override;
  bool erase(const std::string& id) override;
  std::size_t erase_if(const std::function<bool(const SessionRecord&)>& expired) override;
  std::size_t set_role_of_agent(const std::string& agent_id, Role role) override;
  std::vector<SessionRecord> sessions_of_agent(const std::string& agent_id) const override;
  std::vector<SessionRecord> all() const override;
  std::size_t size() const override;

 private:
  struct Stored {
    SessionRecord record;
    std::uint64_t version = 0;
  };
  std::string key(const std::string& id) const;
  std::string agent_set_prefix() const;
  // Writes `s` at `version` (sealed to it); false when `only_if_absent` and the id is taken. Throws when Redis
  // cannot take a security write (the caller's request fails; nothing is acknowledged).
  bool write(const SessionRecord& s, std::uint64_t version, bool only_if_absent);
  std::optional<Stored> read(const std::string& id) const;
  std::vector<std::string> member_ids(const std::string& agent_id) const;
  std::vector<std::string> ids() const;

  RedisStoreOptions options_;
};

}  // namespace lab::store
