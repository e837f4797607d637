#include "store/state_file.h"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/bounded_json.h"
#include "core/file_io.h"

namespace lab::store {

std::string_view to_string(Collection collection) {
  switch (collection) {
    case Collection::kProjects: return "projects";
    case Collection::kTasks: return "tasks";
    case Collection::kAgents: return "agents";
    case Collection::kSessions: return "sessions";
  }
  return "unknown";
}

std::string PlaintextJsonCodec::encode(const Json& state) const {
  // Compact, so the file grows linearly with what is stored.
  return state.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json PlaintextJsonCodec::decode(std::string_view bytes) const {
  auto parsed = parse_json_bounded(bytes, 2 * kMaxJsonDepth);
  if (parsed.status != JsonParseStatus::kOk) throw std::runtime_error("the state file is not JSON");
  return std::move(parsed.value);
}

StateFile::StateFile(StateFileOptions options) : options_(std::move(options)) {
  if (options_.path.has_parent_path()) std::filesystem::create_directories(options_.path.parent_path());
  if (options_.write_behind.count() > 0) writer_ = std::thread([this] { writer_loop(); });
}

StateFile::~StateFile() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  flush();
}

Json StateFile::load() {
  const auto bytes = read_file(options_.path);
  if (!bytes) return nullptr;
  Json state;
  try {
    state = options_.codec->decode(*bytes);
    for (Collection c : kAllCollections) {
      if (!state.at(to_string(c)).is_array()) throw std::runtime_error(std::string(to_string(c)) + " is not a list");
    }
  } catch (const std::exception& e) {
    if (!options_.start_empty_when_unreadable) throw std::runtime_error(options_.path.string() + ": " + e.what());
    spdlog::debug("state file {} unreadable ({}), starting empty", options_.path.string(), e.what());
    return nullptr;
  }
  std::lock_guard lock(mutex_);
  for (Collection c : kAllCollections) {
    auto& records = records_[static_cast<std::size_t>(c)];
    records.clear();
    for (const auto& r : state[to_string(c)]) {
      const auto& key = r.contains("id") ? r["id"] : r.value("session_id", Json());
      if (key.is_string()) records[key.get<std::string>()] = r;
    }
  }
  return state;
}

void StateFile::discard_loaded() {
  std::lock_guard lock(mutex_);
  for (auto& records : records_) records.clear();
}

void StateFile::record(const Change& change) {
  std::unique_lock lock(mutex_);
  auto& records = records_[static_cast<std::size_t>(change.collection)];
  if (change.record.is_null()) {
    records.erase(change.key);
  } else {
    records[change.key] = change.record;
  }
  dirty_ = true;
  if (options_.write_behind.count() > 0) return;  // the writer picks it up
  // Write-through: encoded under the lock so files are written in change order.
  const std::string bytes = encode_locked();
  dirty_ = false;
  std::lock_guard write_lock(write_mutex_);
  lock.unlock();
  write(bytes);
}

void StateFile::flush() {
  std::unique_lock lock(mutex_);
  if (!dirty_) return;
  const std::string bytes = encode_locked();
  dirty_ = false;
  std::lock_guard write_lock(write_mutex_);
  lock.unlock();
  write(bytes);
}

std::string StateFile::encode_locked() const {
  Json state{{"format", 2}};
  for (Collection c : kAllCollections) {
    Json list = Json::array();
    for (const auto& [key, record] : records_[static_cast<std::size_t>(c)]) list.push_back(record);
    state[to_string(c)] = std::move(list);
  }
  return options_.codec->encode(state);
}

void StateFile::write(const std::string& bytes) {
  // Replaced atomically: a crash mid-write leaves the previous version, never a torn one.
  if (auto error = replace_file_atomically(options_.path, bytes)) spdlog::error("state file not saved: {}", *error);
}

void StateFile::writer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.write_behind, [this] { return stopping_; });
    if (!dirty_ || stopping_) continue;
    const std::string bytes = encode_locked();
    dirty_ = false;
    {
      std::lock_guard write_lock(write_mutex_);  // taken before mutex_ is let go: files stay in change order
      lock.unlock();
      write(bytes);
    }
    lock.lock();
  }
}

}  // namespace lab::store
