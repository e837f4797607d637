#include "durable_writes.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "core/json_fields.h"
#include "store/sealed_journal.h"

namespace lab::bench {

namespace {

using Clock = std::chrono::steady_clock;

template <class T>
T median(std::vector<T> values) {
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

double per_second(int count, Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? count / seconds : 0;
}

void remove_database(const std::filesystem::path& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(std::filesystem::path(file.string() + suffix), ec);
  }
}

// One thread, one 64-byte row per transaction, each commit fsynced.
Result<double> raw_commits_per_second(const std::filesystem::path& file, int commits) {
  remove_database(file);
  LAB_ASSIGN_OR_RETURN(store::SqliteDb db, store::SqliteDb::open(file, store::SqliteDb::Mode::kReadWriteCreate));
  if (auto s = store::journal_format::configure_live(db); !s.ok()) return s.error();
  if (auto s = db.exec("CREATE TABLE raw(id INTEGER PRIMARY KEY, value BLOB NOT NULL) STRICT"); !s.ok()) {
    return s.error();
  }
  LAB_ASSIGN_OR_RETURN(store::SqliteStatement begin, db.prepare("BEGIN IMMEDIATE"));
  LAB_ASSIGN_OR_RETURN(store::SqliteStatement insert, db.prepare("INSERT INTO raw(id, value) VALUES(?1, ?2)"));
  LAB_ASSIGN_OR_RETURN(store::SqliteStatement commit, db.prepare("COMMIT"));
  const std::string value(64, 'v');
  const auto start = Clock::now();
  for (int i = 0; i < commits; ++i) {
    Status s = begin.run();
    if (s.ok()) s = insert.bind_int64(1, i).bind_blob(2, value).run();
    if (s.ok()) s = commit.run();
    if (!s.ok()) return s.error();
  }
  return per_second(commits, Clock::now() - start);
}

struct JournalRun {
  double acks_per_second = 0;
  std::uint64_t commits = 0;
};

// `writers` threads, each submitting a task as the board writes it and waiting until it is durable, in turn.
Result<JournalRun> journal_acks_per_second(const std::filesystem::path& file, int writers, int writes_per_writer) {
  remove_database(file);
  LAB_ASSIGN_OR_RETURN(auto keyring,
                       security::SealingKeyring::make(security::SealingKey{1, security::Key256::random()}));
  LAB_ASSIGN_OR_RETURN(auto journal, store::SealedJournal::open(file, std::move(keyring)));
  const std::uint64_t commits_before = journal->commit_count();
  std::atomic<int> failures{0};
  std::latch ready(writers + 1);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(writers));
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      ready.arrive_and_wait();
      for (int i = 0; i < writes_per_writer; ++i) {
        const std::string id = "task-" + std::to_string(w) + "-" + std::to_string(i);
        const store::Change change{store::Collection::kTasks, id,
                                   Json{{"id", id}, {"project_id", "bench"}, {"specialty", "testing"},
                                        {"status", "pending"}, {"description", "bench task"}, {"version", 1}}};
        if (!journal->wait_durable(journal->submit(change)).ok()) failures.fetch_add(1);
      }
    });
  }
  ready.arrive_and_wait();
  const auto start = Clock::now();
  for (auto& t : threads) t.join();
  const auto elapsed = Clock::now() - start;
  if (failures.load() > 0) {
    return Error{ErrorCode::kInternalError, std::to_string(failures.load()) + " journal writes failed"};
  }
  return JournalRun{per_second(writers * writes_per_writer, elapsed), journal->commit_count() - commits_before};
}

}  // namespace

Result<DurableWriteFigures> measure_durable_writes(const std::filesystem::path& dir, int writers,
                                                   int writes_per_writer, int rounds) {
  if (writers < 1 || writes_per_writer < 1 || rounds < 1) {
    return Error{ErrorCode::kInvalidField,
                 "durable writes: writers, writes per writer and rounds must be at least 1"};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kInternalError, "durable writes: cannot create " + dir.string()};
  DurableWriteFigures figures{.writers = writers, .writes = writers * writes_per_writer};
  // Rounds interleaved, medians kept: a disk busy with something else for a while slows both sides alike.
  std::vector<double> raw, acks;
  std::vector<std::uint64_t> commits;
  for (int round = 0; round < rounds; ++round) {
    LAB_ASSIGN_OR_RETURN(const double raw_rate, raw_commits_per_second(dir / "durable_raw.db", figures.writes));
    LAB_ASSIGN_OR_RETURN(const JournalRun run,
                         journal_acks_per_second(dir / "durable_journal.db", writers, writes_per_writer));
    raw.push_back(raw_rate);
    acks.push_back(run.acks_per_second);
    commits.push_back(run.commits);
  }
  figures.raw_commits_per_second = median(raw);
  figures.journal_acks_per_second = median(acks);
  figures.journal_commits = median(commits);
  if (figures.raw_commits_per_second > 0) {
    figures.ratio = figures.journal_acks_per_second / figures.raw_commits_per_second;
  }
  remove_database(dir / "durable_raw.db");
  remove_database(dir / "durable_journal.db");
  return figures;
}

}  // namespace lab::bench
