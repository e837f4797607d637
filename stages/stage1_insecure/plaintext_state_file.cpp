#include "stage1_insecure/plaintext_state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

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
  // VULN V-013: state corruption — no checksum, MAC or version check: a torn rewrite or a hand edit loads silently (unparseable means "start empty", without a word to the operator's monitoring).
  Json state = Json::parse(*text, nullptr, false);
  if (state.is_discarded()) {
    spdlog::debug("state file {} unreadable, starting empty", path_.string());
    return nullptr;
  }
  return state;
}

void PlaintextStateFile::changed(const std::function<Json()>& snapshot) {
  // VULN V-014: no backup or recovery — the change is acknowledged before it is written, and the only copy is rewritten in place; a crash loses recent work or all of it.
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
  write_in_place(snapshot());
}

void PlaintextStateFile::writer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, flush_interval_, [this] { return stopping_; });
    if (!pending_) continue;
    auto snapshot = std::move(pending_);
    pending_ = nullptr;
    lock.unlock();
    write_in_place(snapshot());
    lock.lock();
  }
}

void PlaintextStateFile::write_in_place(const Json& state) {
  std::lock_guard lock(write_mutex_);
  // VULN V-008: session state in plaintext — session ids, roles and all project data are written as readable JSON, unencrypted.
  const std::string text = state.dump(2);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    spdlog::error("cannot write state file {}: {}", path_.string(), std::strerror(errno));
    return;
  }
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      spdlog::error("writing state file {} failed: {}", path_.string(), std::strerror(errno));
      break;
    }
    off += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace lab::stage1
