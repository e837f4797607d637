// StateFile: the stores' state in one file. Memory stores report each change
// to it; it keeps the current record of every key and writes the whole file,
// replaced atomically, either before the change returns (write-through) or
// from a background writer shortly after (write-behind: the change is
// acknowledged before it is on disk). Which codec, which mode and what to do
// with an unreadable file is the stage's choice, made in its composition.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/change.h"
#include "store/state_codec.h"
#include "store/state_persistence.h"

namespace lab::store {

struct StateFileOptions {
  std::filesystem::path path;
  std::shared_ptr<const StateCodec> codec = std::make_shared<PlaintextJsonCodec>();
  // Zero: each change is written before it returns. Otherwise a background
  // writer writes pending changes at most this long after they happened.
  std::chrono::milliseconds write_behind{0};
  // True: a file the codec refuses (or whose records do not load) is ignored
  // and the stage starts empty. False: the stage refuses to start.
  bool start_empty_when_unreadable = false;
};

class StateFile final : public StatePersistence {
 public:
  explicit StateFile(StateFileOptions options);
  ~StateFile() override;  // writes what is pending

  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  // The saved state: {"projects": [...], "tasks": [...], "agents": [...],
  // "sessions": [...]}, or null when there is no file yet (or it is
  // unreadable and the options say to start empty). Throws otherwise.
  Json load() override;
  bool starts_empty_when_unreadable() const override { return options_.start_empty_when_unreadable; }
  // Forgets what load() read: the stores refused it and start empty.
  void discard_loaded() override;
  void record(const Change& change) override;
  void flush() override;

  const StateFileOptions& options() const { return options_; }

 private:
  std::string encode_locked() const;
  void write(const std::string& bytes);
  void writer_loop();

  StateFileOptions options_;
  std::mutex mutex_;
  std::mutex write_mutex_;  // one writer of the file at a time, in order
  std::condition_variable wake_;
  std::array<std::map<std::string, Json>, std::size(kAllCollections)> records_;
  bool dirty_ = false;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace lab::store
