// RedisAgentStore: stage 4's agent directory, shared by every coordinator instance on one Redis.
//
// Keys (under the store's prefix): agent:<id> is a hash {v: version in plaintext, data: the AgentInfo's JSON
// through the codec — sealed to kind "agent", the id and v}; `agents` is a sorted set of ids, every score 0, so
// Redis lists them by id. Role and specialties are decided in C++ on the record read first and written with the
// compare-and-set function `agent_put` (data/redis/lab_agents.lua); a write that lost a race decides again on the
// record as it now is, a bounded number of times. role_or_create is the same function with "must not exist yet",
// so two instances logging in the same new agent create it once. A role change is answered only once a replica
// holds it (RedisClient::replicated): a failover cannot bring back a role an admin took away.
//
// A record that does not open (edited, moved, rolled back, or sealed under a key this process lacks) is refused:
// find() and list() treat it as absent and log it with spdlog::error, role_or_create answers `initial` (what an
// unknown agent gets) without overwriting it, and set_role / set_specialties — an explicit new value — replace it
// with a fresh record at the next version. When Redis cannot be reached past the client's failover deadline, a
// call throws std::runtime_error (the coordinator answers INTERNAL_ERROR for that request).
//
// Under an optimistic admission (store/redis/admission_recording.h) find() answers from the instance's cache of
// agents it read, with a step that checks the record's version in the request's one call (so a role changed on
// another instance is seen: the step fails and the request runs again the ordinary way); a write abandons the
// admission and writes nothing. Every other read goes to Redis and refreshes the cache.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "redis/redis_reply.h"
#include "store/agent_store.h"
#include "store/redis/redis_store_options.h"
#include "store/redis/versioned_cache.h"

namespace lab::store {

class RedisAgentStore final : public AgentStore {
 public:
  explicit RedisAgentStore(RedisStoreOptions options) : options_(std::move(options)) {}

  void set_role(const std::string& agent_id, Role role) override;
  Role role_or_create(const std::string& agent_id, Role initial) override;
  AgentInfo set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) override;
  std::optional<AgentInfo> find(const std::string& agent_id) const override;
  std::vector<AgentInfo> list() const override;

 private:
  // A stored record: its version (0 = absent) and the agent, when it opens.
  struct Stored {
    std::uint64_t version = 0;
    std::optional<AgentInfo> agent;
    std::string v_text = "0";  // the version as stored, for the compare-and-set ("0" = absent)
  };

  std::string agent_key(const std::string& id) const { return options_.prefix + "agent:" + id; }
  Stored open(const std::string& id, const redis::RedisReply& v, const redis::RedisReply& data) const;
  // Read, change (`change` gets the agent as stored, or a new worker when absent or refused), compare-and-set;
  // again on the record as it now is when another writer got there first. `replicated`: a security write.
  AgentInfo change(const std::string& id, const std::function<void(AgentInfo&)>& change, bool replicated);

  RedisStoreOptions options_;
  mutable VersionedCache<AgentInfo> cache_;
};

}  // namespace lab::store
