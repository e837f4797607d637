// StoreSet: everything a coordinator keeps — tasks and projects, agents,
// sessions, and the event stream — behind one handle. Several coordinators
// may share one set (stage 4 runs three on one Redis); ids issued by its
// stores are unique across all of them.
#pragma once

#include "core/result.h"

#include "store/agent_store.h"
#include "store/event_bus.h"
#include "store/session_store.h"
#include "store/task_store.h"

namespace lab::store {

class StoreSet {
 public:
  virtual ~StoreSet() = default;

  virtual TaskStore& tasks() = 0;
  virtual AgentStore& agents() = 0;
  virtual SessionStore& sessions() = 0;
  virtual EventBus& events() = 0;

  // Brings saved state in, before the first request. Throws when saved state
  // exists but cannot be trusted; the stage then refuses to start.
  virtual void load() = 0;
  // Writes whatever is pending now (a clean stop loses nothing).
  virtual void flush() = 0;
  // Returns once every change the calling thread made is durable (a store that acknowledges only durable
  // changes waits here; the others return at once). An error when the change cannot be made durable.
  virtual Status wait_durable() { return ok_status(); }
};

}  // namespace lab::store
