// RedisStoreSet: stage 4's StoreSet — tasks and projects, agents, sessions and the event stream all in Redis, so
// any number of coordinator instances share them. Nothing is kept in the process but caches that Redis can
// rebuild; load() and flush() have nothing to do. A security write (a session, a role, a claim) is answered only
// once a replica holds it (RedisClient::replicated), so a failover loses no acknowledged write.
#pragma once

#include <memory>

#include "store/redis/redis_agent_store.h"
#include "store/redis/redis_event_bus.h"
#include "store/redis/redis_session_store.h"
#include "store/redis/redis_store_options.h"
#include "store/redis/redis_task_store.h"
#include "store/store_set.h"

namespace lab::store {

class RedisStoreSet final : public StoreSet {
 public:
  explicit RedisStoreSet(RedisStoreOptions options);
  ~RedisStoreSet() override;

  TaskStore& tasks() override { return tasks_; }
  AgentStore& agents() override { return agents_; }
  SessionStore& sessions() override { return sessions_; }
  EventBus& events() override { return events_; }
  void load() override;
  void flush() override {}

  const RedisStoreOptions& options() const { return options_; }

 private:
  RedisStoreOptions options_;
  RedisTaskStore tasks_;
  RedisAgentStore agents_;
  RedisSessionStore sessions_;
  RedisEventBus events_;
};

}  // namespace lab::store
