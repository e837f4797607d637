// SequenceMark: a high-water mark of a sealed journal's sequence, kept in a
// file outside the state directory (stage 3 keeps it beside its sealing key).
// The journal detects a rolled-back, swapped or deleted *record* by itself;
// what it cannot see is the whole file put back from an older complete copy,
// which is consistent. Opening the journal with the mark as its minimum
// sequence (SealedJournalOptions::min_sequence) refuses that copy too.
//
// The mark follows the journal: advance() after changes were acknowledged
// writes the new sequence (a temporary file renamed over the mark, without a
// flush to disk: after a power loss the mark may lag behind the journal,
// which only narrows what it catches; it is never ahead). A deliberate
// rollback (a restore from a backup) sets it back with reset().
//
// It protects against an attacker who can write the state directory but not
// the directory the mark is in, the same assumption as for the sealing key.
//
// Thread safety: advance may be called from any number of threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "core/result.h"

namespace lab::store {

class SequenceMark {
 public:
  // The mark of the journal at `journal` (absolute or not: it is made absolute), in `directory`.
  static std::filesystem::path path_for(const std::filesystem::path& directory, const std::filesystem::path& journal);

  // Reads the mark at `file` (0 when there is none yet). INVALID_FIELD when it holds anything but a number.
  static Result<SequenceMark> open(std::filesystem::path file);

  SequenceMark(SequenceMark&& other) noexcept : file_(std::move(other.file_)), written_(other.written_.load()) {}

  std::uint64_t value() const { return written_.load(); }
  // Records `sequence` when it is above the mark. An error when the file cannot be written (the mark stays).
  Status advance(std::uint64_t sequence);
  // Sets the mark to `sequence`, lower or not: after a deliberate rollback.
  Status reset(std::uint64_t sequence);

 private:
  explicit SequenceMark(std::filesystem::path file, std::uint64_t value) : file_(std::move(file)), written_(value) {}
  Status write(std::uint64_t sequence);  // mutex_ held

  std::filesystem::path file_;
  std::mutex mutex_;
  std::atomic<std::uint64_t> written_;
};

}  // namespace lab::store
