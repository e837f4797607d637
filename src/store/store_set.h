// StoreSet: everything a coordinator keeps — tasks and projects, agents,
// sessions, and the event stream — behind one handle. Several coordinators
// may share one set (stage 4 runs three on one Redis); ids issued by its
// stores are unique across all of them.
#pragma once

#include <cstdint>
#include <filesystem>

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
  // A verified copy of the committed state at `path`, made while the stage serves (stage 3's sealed journal:
  // SQLite's online backup); returns the copy's sequence. An error for stores that cannot make one.
  virtual Result<std::uint64_t> backup_to(const std::filesystem::path&) {
    return Error{ErrorCode::kInvalidRequest, "this stage keeps no durable state that can be backed up"};
  }
};

}  // namespace lab::store
