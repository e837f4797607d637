// MemoryStoreSet: the stores of stages 1-3, held in this process, and
// optionally kept in a state file or a sealed journal that every change reaches.
#pragma once

#include <memory>
#include <optional>

#include "core/clock.h"
#include "store/local_event_bus.h"
#include "store/memory_agent_store.h"
#include "store/memory_session_store.h"
#include "store/memory_task_store.h"
#include "store/state_file.h"
#include "store/store_set.h"

namespace lab::store {

class MemoryStoreSet final : public StoreSet {
 public:
  // Without a state file nothing outlives the process.
  explicit MemoryStoreSet(const Clock& clock = system_clock(), std::optional<StateFileOptions> file = std::nullopt);
  // Kept wherever `persistence` keeps them (a sealed journal, for stage 3).
  MemoryStoreSet(const Clock& clock, std::unique_ptr<StatePersistence> persistence);

  TaskStore& tasks() override { return tasks_; }
  AgentStore& agents() override { return agents_; }
  SessionStore& sessions() override { return sessions_; }
  EventBus& events() override { return events_; }
  void load() override;
  void flush() override;
  Status wait_durable() override;
  Result<std::uint64_t> backup_to(const std::filesystem::path& path) override {
    return file_ ? file_->backup_to(path) : StoreSet::backup_to(path);
  }

 private:
  std::unique_ptr<StatePersistence> file_;  // declared first: the stores report to it until they are gone
  MemoryTaskStore tasks_;
  MemoryAgentStore agents_;
  MemorySessionStore sessions_;
  LocalEventBus events_;
};

// Memory stores saved in `directory / file_name` as `file` says (its path is
// filled in here), or kept in memory only when `directory` is empty.
std::shared_ptr<StoreSet> memory_stores(const Clock& clock, const std::filesystem::path& directory,
                                        std::string_view file_name, StateFileOptions file);

}  // namespace lab::store
