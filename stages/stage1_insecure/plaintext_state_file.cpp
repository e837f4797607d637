#include "stage1_insecure/plaintext_state_file.h"

#include <spdlog/spdlog.h>

#include "core/bounded_json.h"
#include "core/file_io.h"

namespace lab::stage1 {

PlaintextStateFile::PlaintextStateFile(std::filesystem::path path, std::chrono::milliseconds flush_interval)
    : path_(std::move(path)), flush_interval_(flush_interval) {
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path());
  writer_ = std::thread([this] { writer_loop(); });
}

PlaintextStateFile::~PlaintextStateFile() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Json PlaintextStateFile::load() {
  const auto text = read_file(path_);
  if (!text) return nullptr;
  // VULN V-013: state corruption — no checksum, MAC or version check: a hand edit loads silently (unparseable means "start empty", without a word to the operator's monitoring).
  auto state = parse_json_bounded(*text, 2 * kMaxJsonDepth);
  if (state.status != JsonParseStatus::kOk) {
    spdlog::debug("state file {} unreadable, starting empty", path_.string());
    return nullptr;
  }
  return std::move(state.value);
}

void PlaintextStateFile::changed(const std::function<Json()>& snapshot) {
  // VULN V-014: no backup or recovery — the change is acknowledged before it is written, and there is one copy and no journal; a crash loses recent work.
  {
    std::lock_guard lock(mutex_);
    pending_ = snapshot;
  }
}

void PlaintextStateFile::flush(const std::function<Json()>& snapshot) {
  {
    std::lock_guard lock(mutex_);
    pending_ = nullptr;
  }
  save_now(snapshot());
}

void PlaintextStateFile::writer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, flush_interval_, [this] { return stopping_; });
    if (!pending_) continue;
    auto snapshot = std::move(pending_);
    pending_ = nullptr;
    lock.unlock();
    save_now(snapshot());
    lock.lock();
  }
}

void PlaintextStateFile::save_now(const Json& state) {
  std::lock_guard lock(write_mutex_);
  // VULN V-008: session state in plaintext — session ids, roles and all project data are written as readable JSON, unencrypted.
  // Compact, so the file grows linearly with what is stored; replaced atomically, so
  // a crash mid-write leaves the previous version, not a torn one (the weakness
  // taught here is the missing integrity check and backup, not a broken writer).
  const std::string text = state.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (auto error = replace_file_atomically(path_, text)) spdlog::error("state file not saved: {}", *error);
}

}  // namespace lab::stage1
