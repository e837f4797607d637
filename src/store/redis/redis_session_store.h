// RedisSessionStore: stage 4's session table. A session is a Redis hash under `<prefix>sess:<id>` (the id as the
// stage gives it: stage 4 keeps only the SHA-256 of a session id, in hex) holding its version, its agent, and the
// record sealed to that id and version; the key's TTL is the idle timeout, so an idle session disappears from
// Redis by itself, on every instance at once. Each agent's sessions are a set `<prefix>agent-sessions:<agent>`,
// for the session cap and forced logout. Writes go through the function library data/redis/lab_sessions.lua.
//
// Each instance keeps the sessions it read in a VersionedCache. Only an optimistic admission uses it (a request
// admitted in one round trip, store/redis/admission_recording.h): the cached record, and a step that checks in
// the same call that Redis still holds it at that version. Every other read goes to Redis and refreshes the cache.
#pragma once

#include <string>
#include <vector>

#include "store/redis/redis_store_options.h"
#include "store/redis/versioned_cache.h"
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
    std::string fingerprint;  // of the sealed value as stored (value_fingerprint.h)
  };
  std::string key(const std::string& id) const;
  std::string agent_set_prefix() const;
  // Writes `s` at `version` (sealed to it) if Redis holds the session at `expected` (0: no session); false when it
  // does not (the id is taken, or another writer came first). Throws when Redis
  // cannot take a security write (the caller's request fails; nothing is acknowledged).
  bool write(const SessionRecord& s, std::uint64_t version, std::uint64_t expected);
  std::optional<Stored> read(const std::string& id) const;
  std::vector<std::string> member_ids(const std::string& agent_id) const;
  std::vector<std::string> ids() const;

  // Under an optimistic admission: the cached record (read now when missing) and a step checking Redis still
  // holds it unchanged.
  std::optional<SessionRecord> find_for_admission(const std::string& id, class AdmissionRecording& recording) const;
  // A write asked for under an optimistic admission abandons it (true: the caller writes nothing).
  static bool abandons_admission();

  RedisStoreOptions options_;
  mutable VersionedCache<SessionRecord> cache_;
};

}  // namespace lab::store
