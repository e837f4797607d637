// Stage 1 persistence: the whole state as plaintext JSON, replaced as a whole
// by a background thread shortly after each change.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "coordinator/policies.h"

namespace lab::stage1 {

class PlaintextStateFile final : public coordinator::StateStore {
 public:
  PlaintextStateFile(std::filesystem::path path, std::chrono::milliseconds flush_interval);
  ~PlaintextStateFile() override;

  Json load() override;
  void changed(const std::function<Json()>& snapshot) override;
  void flush(const std::function<Json()>& snapshot) override;

  const std::filesystem::path& path() const { return path_; }

 private:
  void writer_loop();
  void save_now(const Json& state);

  std::filesystem::path path_;
  std::chrono::milliseconds flush_interval_;
  std::mutex mutex_;
  std::mutex write_mutex_;
  std::condition_variable wake_;
  std::function<Json()> pending_;  // set while a change awaits writing
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace lab::stage1
