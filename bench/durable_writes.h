// Durable writes: what stage 3's sealed journal costs against SQLite itself on
// this machine's disk. Both sides use the journal's connection settings (WAL,
// synchronous=FULL, exclusive locking), so the difference is the journal's
// own work (sealing, key hashes, the manifest row) against what group commit
// saves: concurrent writers share one fsync.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.h"

namespace lab::bench {

struct DurableWriteFigures {
  int writers = 0;
  int writes = 0;                      // in each measurement: writers × writes_per_writer
  double raw_commits_per_second = 0;   // one small row per transaction, one thread
  double journal_acks_per_second = 0;  // submit + wait_durable returned ok, from `writers` threads
  double ratio = 0;                    // journal_acks_per_second / raw_commits_per_second (of the medians)
  std::uint64_t journal_commits = 0;   // transactions (fsyncs) the journal needed for the writes (median run)
};

// Runs both measurements `rounds` times, interleaved, and keeps the median of
// each figure. The journal's writes are tasks, as the board writes them.
// Files only under `dir` (created if missing; the measurement's files are
// removed afterwards). Loops are bounded by the counts.
// INVALID_FIELD for counts below 1; INTERNAL_ERROR when a write fails.
[[nodiscard]] Result<DurableWriteFigures> measure_durable_writes(const std::filesystem::path& dir, int writers,
                                                                 int writes_per_writer, int rounds = 3);

}  // namespace lab::bench
