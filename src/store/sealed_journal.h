// SealedJournal: stage 3's durable, sealed state. One SQLite file holds the
// current record of every (collection, key), each sealed (AES-256-GCM,
// security/sealed_record.h); a change is acknowledged only once a transaction
// holding it has committed with synchronous=FULL, and concurrent writers share
// that commit (group commit).
//
// On disk (WAL, synchronous=FULL, exclusive locking: one process at a time)
//   CREATE TABLE journal(collection TEXT, key_hash BLOB, version INTEGER,
//                        sealed BLOB, PRIMARY KEY(collection, key_hash)) STRICT
//  - A record row: collection = "projects" | "tasks" | "agents" | "sessions";
//    key_hash = HMAC-SHA256(index key, "key" ‖ len ‖ collection ‖ len ‖ key),
//    so no id (session id hash, agent id) is readable; version = the journal
//    sequence number of the change that wrote it (unique across the whole
//    journal, so a (key, version) pair never repeats, not even after a removal
//    and a re-creation); sealed = seal(len ‖ key ‖ record JSON) bound to
//    RecordBinding{kind = collection, id = key_hash bytes, version}. The key
//    travels inside the sealed value and must hash to key_hash again.
//  - The manifest row: collection "_manifest", key_hash "manifest", version =
//    sequence; sealed (binding {"_manifest", "manifest", sequence}) over
//    format ‖ sequence ‖ row count ‖ digest ‖ index key. The digest is the XOR
//    of HMAC(index key, "row" ‖ collection ‖ key_hash ‖ version) over every
//    record row. It is rewritten in the same transaction as every batch. The
//    index key is random per journal, exists only inside the sealed manifest,
//    and moves to the keyring's current key on every commit.
//  - Nothing else: a file with any other table, index, view or trigger is refused.
//  Key rotation: a row moves to the keyring's current key only when it is
//  written again, so keep an older key in the keyring while rows need it.
//
// What opening (and load_all, verify_backup) detects
//  - a row's sealed blob changed, or moved to another row, collection or
//    version; a version column edited: the row does not open (named by
//    collection and key hash);
//  - a row copied in from another journal under the same keyring: its key
//    does not hash to its key_hash under this journal's index key (named);
//  - a row put back from an older copy of the file, a row deleted, a row
//    added: the rows no longer match the manifest's count and digest (which
//    row cannot be named: the digest is order-independent);
//  - the manifest edited, or swapped for an older one while the rows are newer:
//    it does not open, or its digest does not match;
//  - a wrong keyring (or a file sealed under a key it no longer holds): the
//    manifest does not open;
//  - a file whose schema is not the journal's; pages SQLite finds corrupt.
// What it does not detect
//  - the whole file replaced by an older complete copy (rows and manifest
//    together), or deleted so the journal starts empty: the copy is
//    consistent. Keep last_sequence() somewhere the attacker cannot roll back
//    and pass it as SealedJournalOptions::min_sequence.
//  - the shape of the state: collection names, rows per collection, sealed
//    sizes (about the records' sizes), the order of writes (versions) and
//    which row a write changed (a key's hash stays the same) are in the clear.
//  - bytes SQLite never reads (free space inside a page): changing them
//    changes no row, so a backup with such a flipped byte is still accepted.
//  - changes submitted but not yet waited for: they are not on disk, and a
//    crash loses them (only wait_durable acknowledges).
//
// Errors: INTERNAL_ERROR for SQLite and I/O failures; INVALID_FIELD for a
// file or row that does not verify. Messages name collections and key hashes,
// never a key, a record or key material. After a failed commit the journal
// is broken (fail-stop, as after a failed fsync nothing is known about the
// file): every later wait returns the error; reopen to continue.
//
// Thread safety: every method may be called from any number of threads at
// once. The destructor commits what is queued; it must not run concurrently
// with other calls.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "security/sealed_record.h"
#include "store/change.h"
#include "store/sealed_journal_format.h"
#include "store/sqlite_handle.h"

namespace lab::store {

struct SealedJournalOptions {
  // A high-water mark of last_sequence() kept outside the file (another disk,
  // a peer, a monotonic counter). A journal whose sequence is lower, or a
  // missing one when this is above zero, is refused: the only way to catch a
  // whole file replaced by an older complete copy. 0: no external mark.
  std::uint64_t min_sequence = 0;
};

class SealedJournal {
 public:
  // Proof of a submit, redeemed with wait_durable. Only the journal makes them.
  class Ticket {
   private:
    friend class SealedJournal;
    explicit Ticket(std::uint64_t number) : number_(number) {}
    std::uint64_t number_;
  };

  // Opens (or creates) the journal at `path` and verifies all of it, every
  // row opened, before returning it.
  [[nodiscard]] static Result<std::unique_ptr<SealedJournal>> open(const std::filesystem::path& path,
                                                                   security::SealingKeyring keyring,
                                                                   SealedJournalOptions options = {});
  ~SealedJournal();  // commits what is queued

  SealedJournal(const SealedJournal&) = delete;
  SealedJournal& operator=(const SealedJournal&) = delete;

  // Every committed record, each row opened and verified and the set checked
  // against the manifest. Any row that fails refuses the whole load, naming
  // the row; nothing is skipped. Queued changes are not included.
  [[nodiscard]] Result<std::vector<Change>> load_all();

  // Queues a change (record null: a removal) and returns at once; it reaches
  // disk with the next commit. Changes commit in submit order.
  [[nodiscard]] Ticket submit(const Change& change);
  // Returns once a transaction holding the ticket's change has committed, or
  // the error that broke the journal. If no commit is under way, the caller
  // commits everything queued itself, so concurrent callers share one fsync.
  [[nodiscard]] Status wait_durable(Ticket ticket);
  // wait_durable for everything submitted so far.
  [[nodiscard]] Status flush();

  // The journal sequence: changes ever committed. Keep it elsewhere as a high-water mark.
  std::uint64_t last_sequence() const { return committed_sequence_.load(); }
  // Transactions committed since open (each one fsync): how well writes are grouped.
  std::uint64_t commit_count() const { return commits_.load(); }

  // A verified copy of the committed state at `path`: written beside it with
  // the online backup API, made a single self-contained file, checked with
  // verify_backup, then renamed into place. `path` is untouched on failure.
  // Returns the copy's sequence (the changes it holds).
  [[nodiscard]] Result<std::uint64_t> backup_to(const std::filesystem::path& path);
  // PRAGMA integrity_check, the schema, the manifest and every row. The copy's sequence.
  [[nodiscard]] static Result<std::uint64_t> verify_backup(const std::filesystem::path& backup,
                                                           const security::SealingKeyring& keyring);
  // Verifies `backup`, then copies it over the journal at `journal` (which
  // must not be open) and verifies the result. Returns the restored sequence:
  // restoring is a deliberate rollback, so the caller resets its high-water mark.
  [[nodiscard]] static Result<std::uint64_t> restore(const std::filesystem::path& backup,
                                                     const std::filesystem::path& journal,
                                                     const security::SealingKeyring& keyring);

 private:
  struct Pending {
    std::uint64_t ticket;
    Change change;
  };

  SealedJournal(SqliteDb db, security::SealingKeyring keyring, journal_format::Manifest manifest);
  [[nodiscard]] Status prepare_statements();
  // Runs as the only committer: takes the queue, writes it, publishes the outcome. mutex_ held on entry and exit.
  void commit_queued(std::unique_lock<std::mutex>& lock);
  [[nodiscard]] Status write_batch(const std::vector<Pending>& batch);  // db_mutex_ held
  [[nodiscard]] Status apply(const Change& change);                     // db_mutex_ held, in a transaction
  [[nodiscard]] Status write_manifest();                                // db_mutex_ held, in a transaction

  // The queue and the committer's state.
  std::mutex mutex_;
  std::condition_variable committed_;
  std::vector<Pending> queue_;  // in ticket order
  std::uint64_t next_ticket_ = 1;
  std::uint64_t durable_through_ = 0;  // every ticket up to this one is committed
  bool committing_ = false;            // a committer is writing a batch
  std::optional<Error> broken_;        // set by a failed commit, never cleared

  // The file: the connection, its statements and the manifest state, under db_mutex_.
  std::mutex db_mutex_;
  SqliteDb db_;
  SqliteStatement begin_, commit_, rollback_, select_version_, upsert_, remove_;
  const security::SealingKeyring keyring_;
  journal_format::Manifest manifest_;  // as of the last commit (during a batch: as it will be)

  std::atomic<std::uint64_t> committed_sequence_{0};
  std::atomic<std::uint64_t> commits_{0};
};

}  // namespace lab::store
