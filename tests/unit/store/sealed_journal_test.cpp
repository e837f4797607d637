// The sealed journal, stage 3's durable state: what was acknowledged is there
// after a reopen, nothing readable is on disk, every kind of tampering with
// the file a host attacker can do row by row is refused (and the one it cannot
// see alone, a whole older file, is refused given a high-water mark),
// concurrent writers share commits, and backups are verified before they are
// trusted.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "core/file_io.h"
#include "durable_writes.h"
#include "security/hex.h"
#include "store/sealed_journal.h"

namespace lab::store {
namespace {

using security::Key256;
using security::SealingKey;
using security::SealingKeyring;

SealingKeyring make_keyring(std::uint32_t id = 1) {
  return std::move(SealingKeyring::make(SealingKey{id, Key256::random()})).value();
}

std::string hex(std::string_view bytes) {
  return security::hex_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// A row as it lies in the file, read and written with plain SQL: what an
// attacker with write access to the directory can do.
struct RawRow {
  std::string collection, key_hash;
  std::int64_t version = 0;
  std::string sealed;
};

std::vector<RawRow> raw_rows(const std::filesystem::path& file, std::string_view collection) {
  auto db = SqliteDb::open(file, SqliteDb::Mode::kReadWrite);
  EXPECT_TRUE(db.ok());
  auto q = db->prepare(
      "SELECT collection, key_hash, version, sealed FROM journal WHERE collection = ?1 "
      "ORDER BY key_hash");
  EXPECT_TRUE(q.ok());
  q->bind_text(1, collection);
  std::vector<RawRow> rows;
  while (*q->step()) {
    rows.push_back({std::string(q->column_text(0)), std::string(q->column_blob(1)), q->column_int64(2),
                    std::string(q->column_blob(3))});
  }
  return rows;
}

void raw_put(const std::filesystem::path& file, const RawRow& row) {
  auto db = SqliteDb::open(file, SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db.ok());
  auto q = db->prepare("INSERT OR REPLACE INTO journal(collection, key_hash, version, sealed) VALUES(?1, ?2, ?3, ?4)");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->bind_text(1, row.collection)
                  .bind_blob(2, row.key_hash)
                  .bind_int64(3, row.version)
                  .bind_blob(4, row.sealed)
                  .run()
                  .ok());
}

void raw_exec(const std::filesystem::path& file, std::string_view sql) {
  auto db = SqliteDb::open(file, SqliteDb::Mode::kReadWrite);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec(sql).ok()) << sql;
}

class SealedJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) / (std::string("sealed_journal_") + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "journal.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SealedJournal> open(SealedJournalOptions options = {}) {
    auto journal = SealedJournal::open(path_, keyring_, options);
    EXPECT_TRUE(journal.ok()) << journal.error().message;
    return journal.ok() ? std::move(journal).value() : nullptr;
  }
  // The error reopening the journal gives, or "" when it opens.
  std::string open_error(const SealingKeyring& keyring) {
    auto journal = SealedJournal::open(path_, keyring);
    return journal.ok() ? "" : journal.error().message;
  }
  std::string open_error() { return open_error(keyring_); }
  static void write(SealedJournal& journal, Collection c, std::string key, Json record) {
    ASSERT_TRUE(journal.wait_durable(journal.submit(Change{c, std::move(key), std::move(record)})).ok());
  }
  static std::map<std::string, Json> records_of(SealedJournal& journal, Collection c) {
    auto all = journal.load_all();
    EXPECT_TRUE(all.ok()) << all.error().message;
    std::map<std::string, Json> out;
    if (!all.ok()) return out;
    for (auto& change : *all) {
      if (change.collection == c) out[change.key] = change.record;
    }
    return out;
  }

  SealingKeyring keyring_ = make_keyring();
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(SealedJournalTest, AReopenedJournalHoldsTheCurrentRecords) {
  {
    auto journal = open();
    write(*journal, Collection::kTasks, "t1", Json{{"status", "submitted"}});
    write(*journal, Collection::kTasks, "t2", Json{{"status", "submitted"}});
    write(*journal, Collection::kTasks, "t1", Json{{"status", "working"}});
    write(*journal, Collection::kAgents, "alice", Json{{"role", "worker"}});
    write(*journal, Collection::kTasks, "t2", nullptr);
    EXPECT_EQ(journal->last_sequence(), 5u);
  }
  auto journal = open();
  EXPECT_EQ(journal->last_sequence(), 5u) << "the sequence survives the reopen";
  const auto all = journal->load_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u) << "the removal is gone, one record per key";
  const auto tasks = records_of(*journal, Collection::kTasks);
  ASSERT_EQ(tasks.count("t1"), 1u);
  EXPECT_EQ(tasks.at("t1")["status"], "working") << "the latest version wins";
  EXPECT_EQ(records_of(*journal, Collection::kAgents).at("alice")["role"], "worker");
}

TEST_F(SealedJournalTest, TheDestructorCommitsWhatIsQueued) {
  {
    auto journal = open();
    (void)journal->submit(Change{Collection::kProjects, "p1", Json{{"name", "alpha"}}});
  }
  auto journal = open();
  EXPECT_EQ(records_of(*journal, Collection::kProjects).at("p1")["name"], "alpha");
}

TEST_F(SealedJournalTest, NoKeyOrRecordIsReadableInTheFiles) {
  const std::string key = "agent-ZEBRA-7731", secret = "secret-PLATYPUS-4417";
  auto no_plaintext_anywhere = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      const auto bytes = read_file(entry.path()).value_or("");
      EXPECT_EQ(bytes.find(key), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find("PLATYPUS"), std::string::npos) << entry.path();
    }
  };
  {
    auto journal = open();
    write(*journal, Collection::kSessions, key, Json{{"agent_id", key}, {"token", secret}});
    no_plaintext_anywhere();  // the write-ahead log too, while the journal is open
  }
  no_plaintext_anywhere();
}

TEST_F(SealedJournalTest, ASealedValueSwappedBetweenRowsIsRefusedNamingTheRow) {
  {
    auto journal = open();
    write(*journal, Collection::kTasks, "t1", Json{{"owner", "alice"}});
    write(*journal, Collection::kTasks, "t2", Json{{"owner", "mallory"}});
  }
  auto rows = raw_rows(path_, "tasks");
  ASSERT_EQ(rows.size(), 2u);
  std::swap(rows[0].sealed, rows[1].sealed);
  raw_put(path_, rows[0]);
  raw_put(path_, rows[1]);
  const std::string error = open_error();
  EXPECT_NE(error.find("does not open"), std::string::npos) << error;
  const bool names_a_swapped_row = error.find("row tasks/" + hex(rows[0].key_hash)) != std::string::npos ||
                                   error.find("row tasks/" + hex(rows[1].key_hash)) != std::string::npos;
  EXPECT_TRUE(names_a_swapped_row) << error;
}

TEST_F(SealedJournalTest, ARowPutBackFromAnOlderCopyIsRefused) {
  {
    auto journal = open();
    write(*journal, Collection::kAgents, "mallory", Json{{"role", "admin"}});
    write(*journal, Collection::kAgents, "alice", Json{{"role", "worker"}});
  }
  const auto old_copy = dir_ / "old.db";
  std::filesystem::copy_file(path_, old_copy);
  {
    auto journal = open();
    write(*journal, Collection::kAgents, "mallory", Json{{"role", "worker"}});  // demoted
  }
  const auto old_rows = raw_rows(old_copy, "agents");
  const auto old_row = std::find_if(old_rows.begin(), old_rows.end(), [&](const RawRow& r) {
    return r.version == 1;  // mallory's first write
  });
  ASSERT_NE(old_row, old_rows.end());
  raw_put(path_, *old_row);  // the admin row, validly sealed, spliced back
  const std::string error = open_error();
  EXPECT_NE(error.find("do not match the manifest"), std::string::npos) << error;
}

TEST_F(SealedJournalTest, AnOldRowOfAKeyRemovedAndCreatedAgainIsRefused) {
  // Versions are journal sequence numbers, so a key created anew never reuses a version its old rows had.
  const auto old_copy = dir_ / "old.db";
  {
    auto journal = open();
    write(*journal, Collection::kSessions, "s1", Json{{"role", "admin"}});
  }
  std::filesystem::copy_file(path_, old_copy);
  {
    auto journal = open();
    write(*journal, Collection::kSessions, "s1", nullptr);
    write(*journal, Collection::kSessions, "s1", Json{{"role", "worker"}});
  }
  raw_put(path_, raw_rows(old_copy, "sessions").at(0));
  EXPECT_NE(open_error().find("do not match the manifest"), std::string::npos);
}

TEST_F(SealedJournalTest, ADeletedRowIsRefused) {
  {
    auto journal = open();
    write(*journal, Collection::kSessions, "s1", Json{{"agent_id", "alice"}});
    write(*journal, Collection::kSessions, "s2", Json{{"agent_id", "bob"}});
  }
  raw_exec(path_, "DELETE FROM journal WHERE collection = 'sessions' AND version = 2");
  EXPECT_NE(open_error().find("do not match the manifest"), std::string::npos);
}

TEST_F(SealedJournalTest, ARowCopiedFromAnotherJournalIsRefused) {
  const auto other = dir_ / "other.db";
  {
    auto journal = std::move(SealedJournal::open(other, keyring_)).value();  // same keyring, another journal
    write(*journal, Collection::kAgents, "mallory", Json{{"role", "admin"}});
  }
  {
    auto journal = open();
    write(*journal, Collection::kAgents, "alice", Json{{"role", "worker"}});
    write(*journal, Collection::kAgents, "bob", Json{{"role", "worker"}});
  }
  raw_put(path_, raw_rows(other, "agents").at(0));  // version 1, within this journal's sequence
  const std::string error = open_error();
  EXPECT_NE(error.find("belongs to another journal"), std::string::npos) << error;
}

TEST_F(SealedJournalTest, TheWrongKeyringIsRefused) {
  {
    auto journal = open();
    write(*journal, Collection::kTasks, "t1", Json{{"status", "submitted"}});
  }
  const std::string error = open_error(make_keyring());
  EXPECT_NE(error.find("manifest does not open"), std::string::npos) << error;
  EXPECT_EQ(open_error(), "") << "the right keyring still opens it";
}

TEST_F(SealedJournalTest, AWholeOlderFileIsCaughtOnlyByAHighWaterMark) {
  const auto old_copy = dir_ / "old.db";
  std::uint64_t high_water = 0;
  {
    auto journal = open();
    write(*journal, Collection::kAgents, "mallory", Json{{"role", "admin"}});
  }
  std::filesystem::copy_file(path_, old_copy);
  {
    auto journal = open();
    write(*journal, Collection::kAgents, "mallory", Json{{"role", "worker"}});
    high_water = journal->last_sequence();  // kept where the attacker cannot roll it back
  }
  std::filesystem::copy_file(old_copy, path_, std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(open_error(), "") << "an older complete copy is consistent: the file alone cannot tell";
  auto refused = SealedJournal::open(path_, keyring_, {.min_sequence = high_water});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("rolled back"), std::string::npos) << refused.error().message;
  std::filesystem::remove(path_);
  EXPECT_FALSE(SealedJournal::open(path_, keyring_, {.min_sequence = high_water}).ok()) << "nor a deleted one";
}

TEST_F(SealedJournalTest, AFileWithAnythingElseInItsSchemaIsRefused) {
  { auto journal = open(); }
  raw_exec(path_, "CREATE TRIGGER spy AFTER INSERT ON journal BEGIN SELECT 1; END");
  EXPECT_NE(open_error().find("something other than a sealed journal"), std::string::npos);
}

TEST_F(SealedJournalTest, ASecondJournalOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  auto journal = open();
  EXPECT_NE(open_error(), "");
  write(*journal, Collection::kTasks, "t1", Json{{"status", "submitted"}});
}

TEST_F(SealedJournalTest, ConcurrentWritersShareCommits) {
  constexpr int kThreads = 8, kWrites = 50;
  {
    auto journal = open();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kWrites; ++i) {
          const Change change{Collection::kTasks, std::to_string(t) + "-" + std::to_string(i), Json{{"n", i}}};
          if (!journal->wait_durable(journal->submit(change)).ok()) failures.fetch_add(1);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(journal->last_sequence(), std::uint64_t{kThreads * kWrites});
    EXPECT_LT(journal->commit_count(), std::uint64_t{kThreads * kWrites / 2})
        << "each fsync should carry the writes of several threads";
    std::cout << "[ figures  ] " << kThreads * kWrites << " acknowledged writes in " << journal->commit_count()
              << " commits\n";
  }
  auto journal = open();
  const auto tasks = records_of(*journal, Collection::kTasks);
  EXPECT_EQ(tasks.size(), std::size_t{kThreads * kWrites});
  EXPECT_EQ(tasks.at("7-49")["n"], 49);
}

TEST_F(SealedJournalTest, ABackupIsVerifiedAndRestoresTheState) {
  const auto backup = dir_ / "backup.db";
  {
    auto journal = open();
    write(*journal, Collection::kProjects, "p1", Json{{"name", "alpha"}});
    ASSERT_TRUE(journal->backup_to(backup).ok());
    write(*journal, Collection::kProjects, "p1", Json{{"name", "changed after the backup"}});
  }
  const std::string bytes = read_file(backup).value_or("");
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_EQ(bytes[18], 1) << "one self-contained file (a rollback journal), not WAL";
  EXPECT_FALSE(std::filesystem::exists(dir_ / "backup.db-wal"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "backup.db.partial"));
  const auto sequence = SealedJournal::verify_backup(backup, keyring_);
  ASSERT_TRUE(sequence.ok()) << sequence.error().message;
  EXPECT_EQ(*sequence, 1u);
  EXPECT_FALSE(SealedJournal::verify_backup(backup, make_keyring()).ok()) << "only under its own keyring";

  const auto restored_path = dir_ / "restored" / "journal.db";
  std::filesystem::create_directories(restored_path.parent_path());
  const auto restored = SealedJournal::restore(backup, restored_path, keyring_);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(*restored, 1u);
  auto journal = std::move(SealedJournal::open(restored_path, keyring_)).value();
  EXPECT_EQ(records_of(*journal, Collection::kProjects).at("p1")["name"], "alpha");
  write(*journal, Collection::kProjects, "p2", Json{{"name", "beta"}});  // and it continues as a journal
  EXPECT_FALSE(SealedJournal::restore(backup, restored_path, keyring_).ok()) << "not over a journal that is open";
  EXPECT_EQ(records_of(*journal, Collection::kProjects).size(), 2u);
}

TEST_F(SealedJournalTest, ACorruptedBackupIsRefused) {
  const auto backup = dir_ / "backup.db";
  {
    auto journal = open();
    // Large enough that the middle of the file lies inside this record's sealed bytes.
    write(*journal, Collection::kTasks, "big", Json{{"input", std::string(200'000, 'x')}});
    write(*journal, Collection::kTasks, "small", Json{{"input", "y"}});
    ASSERT_TRUE(journal->backup_to(backup).ok());
  }
  ASSERT_TRUE(SealedJournal::verify_backup(backup, keyring_).ok());
  std::string bytes = read_file(backup).value();
  bytes[bytes.size() / 2] ^= 0x01;
  ASSERT_TRUE(write_file(backup, bytes));
  const auto verified = SealedJournal::verify_backup(backup, keyring_);
  ASSERT_FALSE(verified.ok());
  std::cout << "[ refused  ] " << verified.error().message << "\n";
  EXPECT_NE(verified.error().message.find("sealed journal"), std::string::npos) << verified.error().message;
  EXPECT_FALSE(SealedJournal::restore(backup, dir_ / "restored.db", keyring_).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "restored.db")) << "nothing is written from a refused backup";
}

TEST(DurableWritesBench, MeasuresBothRatesOnATinyRun) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "durable_writes_bench";
  std::filesystem::remove_all(dir);
  const auto figures = bench::measure_durable_writes(dir, 2, 20);
  ASSERT_TRUE(figures.ok()) << figures.error().message;
  EXPECT_GT(figures->raw_commits_per_second, 0);
  EXPECT_GT(figures->journal_acks_per_second, 0);
  EXPECT_GT(figures->ratio, 0);
  EXPECT_GE(figures->journal_commits, 1u);
  EXPECT_LE(figures->journal_commits, 40u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lab::store
