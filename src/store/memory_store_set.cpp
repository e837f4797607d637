#include "store/memory_store_set.h"

#include <spdlog/spdlog.h>

namespace lab::store {

MemoryStoreSet::MemoryStoreSet(const Clock& clock, std::optional<StateFileOptions> file)
    : MemoryStoreSet(clock, file ? std::make_unique<StateFile>(std::move(*file)) : nullptr) {}

MemoryStoreSet::MemoryStoreSet(const Clock& clock, std::unique_ptr<StatePersistence> persistence)
    : file_(std::move(persistence)),
      tasks_(file_.get()),
      agents_(file_.get()),
      sessions_(file_.get()),
      events_(clock) {}

void MemoryStoreSet::load() {
  if (!file_) return;
  const Json state = file_->load();
  if (state.is_null()) return;
  try {
    tasks_.restore(state.at("projects"), state.at("tasks"));
    agents_.restore(state.at("agents"));
    sessions_.restore(state.at("sessions"));
    spdlog::info("state loaded: {} projects, {} tasks", tasks_.project_count(), tasks_.task_count());
  } catch (const std::exception& e) {
    if (!file_->starts_empty_when_unreadable()) throw;
    spdlog::warn("saved state has an unexpected shape ({}); starting empty", e.what());
    tasks_.restore(Json::array(), Json::array());
    agents_.restore(Json::array());
    sessions_.restore(Json::array());
    file_->discard_loaded();
  }
}

std::shared_ptr<StoreSet> memory_stores(const Clock& clock, const std::filesystem::path& directory,
                                        std::string_view file_name, StateFileOptions file) {
  if (directory.empty()) return std::make_shared<MemoryStoreSet>(clock);
  file.path = directory / file_name;
  return std::make_shared<MemoryStoreSet>(clock, std::move(file));
}

void MemoryStoreSet::flush() {
  if (file_) file_->flush();
}

Status MemoryStoreSet::wait_durable() { return file_ ? file_->wait_durable() : ok_status(); }

}  // namespace lab::store
