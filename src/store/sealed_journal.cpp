#include "store/sealed_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "core/json_fields.h"

namespace lab::store {

namespace {

using security::HmacSha256;
using security::SealingKeyring;
using namespace journal_format;

Status sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return storage_error("cannot open the directory " + dir.string());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return storage_error("cannot flush the directory " + dir.string());
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<SealedJournal>> SealedJournal::open(const std::filesystem::path& path, SealingKeyring keyring,
                                                           SealedJournalOptions options) {
  std::error_code ec;
  if (options.min_sequence > 0 && !std::filesystem::exists(path, ec)) {
    return integrity_error("no journal at " + path.string() + ", but one at sequence " +
                           std::to_string(options.min_sequence) + " was expected");
  }
  if (path.has_parent_path() && !std::filesystem::create_directories(path.parent_path(), ec) && ec) {
    return storage_error("cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  LAB_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::open(path, SqliteDb::Mode::kReadWriteCreate));
  if (auto s = configure_live(db); !s.ok()) return s.error();
  LAB_ASSIGN_OR_RETURN(const bool empty, check_schema(db));
  if (empty) {
    if (options.min_sequence > 0) return integrity_error(path.string() + " is empty, but a journal was expected");
    if (auto s = create_journal(db, keyring); !s.ok()) return s.error();
  }
  LAB_ASSIGN_OR_RETURN(Manifest manifest, read_verified(db, keyring, nullptr));
  if (manifest.sequence < options.min_sequence) {
    return integrity_error("the journal is at sequence " + std::to_string(manifest.sequence) +
                           ", before the expected " + std::to_string(options.min_sequence) +
                           ": the file was rolled back");
  }
  std::unique_ptr<SealedJournal> journal(new SealedJournal(std::move(db), std::move(keyring), std::move(manifest)));
  if (auto s = journal->prepare_statements(); !s.ok()) return s.error();
  return journal;
}

SealedJournal::SealedJournal(SqliteDb db, SealingKeyring keyring, Manifest manifest)
    : db_(std::move(db)), keyring_(std::move(keyring)), manifest_(std::move(manifest)) {
  committed_sequence_ = manifest_.sequence;
}

Status SealedJournal::prepare_statements() {
  std::lock_guard lock(db_mutex_);
  LAB_ASSIGN_OR_RETURN(begin_, db_.prepare("BEGIN IMMEDIATE"));
  LAB_ASSIGN_OR_RETURN(commit_, db_.prepare("COMMIT"));
  LAB_ASSIGN_OR_RETURN(rollback_, db_.prepare("ROLLBACK"));
  LAB_ASSIGN_OR_RETURN(select_version_, db_.prepare(kSelectVersion));
  LAB_ASSIGN_OR_RETURN(upsert_, db_.prepare(kUpsert));
  LAB_ASSIGN_OR_RETURN(remove_, db_.prepare(kDelete));
  return ok_status();
}

SealedJournal::~SealedJournal() {
  std::unique_lock lock(mutex_);
  committed_.wait(lock, [this] { return !committing_; });
  if (queue_.empty()) return;
  const std::size_t queued = queue_.size();
  if (!broken_) commit_queued(lock);
  if (broken_) spdlog::error("sealed journal: {} queued changes were not written: {}", queued, broken_->message);
}

Result<std::vector<Change>> SealedJournal::load_all() {
  std::vector<Change> records;
  std::lock_guard lock(db_mutex_);
  LAB_ASSIGN_OR_RETURN(const Manifest on_disk, read_verified(db_, keyring_, &records));
  if (on_disk.sequence != manifest_.sequence) return integrity_error("the file was changed behind the open journal");
  return records;
}

SealedJournal::Ticket SealedJournal::submit(const Change& change) {
  Pending pending{0, change};  // copied before the lock
  std::lock_guard lock(mutex_);
  pending.ticket = next_ticket_++;
  if (broken_) return Ticket(pending.ticket);  // never written: its wait returns the error
  queue_.push_back(std::move(pending));
  return Ticket(queue_.back().ticket);
}

Status SealedJournal::wait_durable(Ticket ticket) {
  std::unique_lock lock(mutex_);
  if (ticket.number_ == 0 || ticket.number_ >= next_ticket_) {
    return Error{ErrorCode::kInvalidField, "sealed journal: a ticket this journal did not issue"};
  }
  for (;;) {
    if (ticket.number_ <= durable_through_) return ok_status();
    if (broken_) return *broken_;
    if (committing_) {
      committed_.wait(lock);
    } else {
      commit_queued(lock);
    }
  }
}

Status SealedJournal::flush() {
  std::uint64_t last = 0;
  {
    std::lock_guard lock(mutex_);
    if (broken_) return *broken_;
    last = next_ticket_ - 1;
  }
  return last == 0 ? ok_status() : wait_durable(Ticket(last));
}

void SealedJournal::commit_queued(std::unique_lock<std::mutex>& lock) {
  committing_ = true;
  std::vector<Pending> batch;
  batch.swap(queue_);
  lock.unlock();
  Status written = ok_status();
  if (!batch.empty()) {
    std::lock_guard db_lock(db_mutex_);
    written = write_batch(batch);
  }
  lock.lock();
  committing_ = false;
  if (written.ok()) {
    if (!batch.empty()) durable_through_ = batch.back().ticket;
  } else {
    broken_ = written.error();
  }
  committed_.notify_all();
}

Status SealedJournal::write_batch(const std::vector<Pending>& batch) {
  const Manifest before = manifest_;
  Status s = ok_status();
  try {
    s = begin_.run();
    for (std::size_t i = 0; s.ok() && i < batch.size(); ++i) s = apply(batch[i].change);
    if (s.ok()) s = write_manifest();
    if (s.ok()) s = commit_.run();
  } catch (const std::exception& e) {  // sealing failed: the CSPRNG or OpenSSL itself
    s = Error{ErrorCode::kInternalError, e.what()};
  }
  if (!s.ok()) {
    (void)rollback_.run();
    manifest_ = before;
    return storage_error("commit failed: " + s.error().message);
  }
  committed_sequence_ = manifest_.sequence;
  ++commits_;
  return ok_status();
}

Status SealedJournal::apply(const Change& change) {
  const std::string_view name = to_string(change.collection);
  const HmacSha256 hash_bytes = key_hash(manifest_.index_key, name, change.key);
  const std::string_view hash = bytes_of(hash_bytes);
  select_version_.bind_text(1, name).bind_blob(2, hash);
  auto found = select_version_.step();
  if (found.ok() && *found) {  // the row it replaces leaves the digest
    xor_into(manifest_.digest,
             row_mac(manifest_.index_key, name, hash, static_cast<std::uint64_t>(select_version_.column_int64(0))));
    --manifest_.count;
  }
  select_version_.reset();
  if (!found.ok()) return found.error();

  const std::uint64_t version = ++manifest_.sequence;
  if (change.record.is_null()) return remove_.bind_text(1, name).bind_blob(2, hash).run();
  const std::string sealed = seal_row(keyring_, change, hash, version);
  if (auto s = upsert_.bind_text(1, name)
                   .bind_blob(2, hash)
                   .bind_int64(3, static_cast<std::int64_t>(version))
                   .bind_blob(4, sealed)
                   .run();
      !s.ok()) {
    return s;
  }
  xor_into(manifest_.digest, row_mac(manifest_.index_key, name, hash, version));
  ++manifest_.count;
  return ok_status();
}

Status SealedJournal::write_manifest() { return put_manifest(upsert_, keyring_, manifest_); }

Result<std::uint64_t> SealedJournal::backup_to(const std::filesystem::path& path) {
  std::filesystem::path partial = path;
  partial += ".partial";
  std::error_code ec;
  std::filesystem::remove(partial, ec);
  auto write_copy = [&]() -> Status {
    {
      LAB_ASSIGN_OR_RETURN(SqliteDb copy, SqliteDb::open(partial, SqliteDb::Mode::kReadWriteCreate));
      std::lock_guard lock(db_mutex_);  // between commits: the copy is one committed state
      if (auto s = sqlite_backup(db_, copy); !s.ok()) return s;
    }
    // The copied header says WAL, like the journal's; a rollback journal makes the copy one self-contained file.
    LAB_ASSIGN_OR_RETURN(SqliteDb copy, SqliteDb::open(partial, SqliteDb::Mode::kReadWrite));
    LAB_ASSIGN_OR_RETURN(const std::string mode, copy.query_text("PRAGMA journal_mode=DELETE"));
    if (mode != "delete") return storage_error("the backup cannot leave WAL mode");
    return ok_status();
  };
  Status written = write_copy();
  std::uint64_t sequence = 0;
  if (written.ok()) {
    if (auto verified = verify_backup(partial, keyring_); verified.ok()) {
      sequence = *verified;
    } else {
      written = verified.error();
    }
  }
  if (!written.ok()) {
    std::filesystem::remove(partial, ec);
    return written.error();
  }
  std::filesystem::rename(partial, path, ec);
  if (ec) return storage_error("cannot move the backup into place: " + ec.message());
  if (auto synced = sync_directory(path.parent_path()); !synced.ok()) return synced.error();
  return sequence;
}

Result<std::uint64_t> SealedJournal::verify_backup(const std::filesystem::path& backup, const SealingKeyring& keyring) {
  LAB_ASSIGN_OR_RETURN(SqliteDb db, SqliteDb::open(backup, SqliteDb::Mode::kReadOnly));
  auto integrity = db.query_text("PRAGMA integrity_check");
  if (!integrity.ok())
    return integrity_error("the backup is not a sound SQLite file (" + integrity.error().message + ")");
  if (*integrity != "ok") return integrity_error("the backup fails SQLite's integrity check");
  LAB_ASSIGN_OR_RETURN(const Manifest manifest, read_verified(db, keyring, nullptr));
  return manifest.sequence;
}

Result<std::uint64_t> SealedJournal::restore(const std::filesystem::path& backup, const std::filesystem::path& journal,
                                             const SealingKeyring& keyring) {
  LAB_ASSIGN_OR_RETURN(const std::uint64_t sequence, verify_backup(backup, keyring));
  LAB_ASSIGN_OR_RETURN(SqliteDb from, SqliteDb::open(backup, SqliteDb::Mode::kReadOnly));
  LAB_ASSIGN_OR_RETURN(SqliteDb to, SqliteDb::open(journal, SqliteDb::Mode::kReadWriteCreate));
  if (auto s = configure_live(to); !s.ok()) return s.error();  // fails while the journal is open
  if (auto s = sqlite_backup(from, to); !s.ok()) return s.error();
  LAB_ASSIGN_OR_RETURN(const Manifest restored, read_verified(to, keyring, nullptr));
  if (restored.sequence != sequence) return integrity_error("the backup changed while it was restored");
  return sequence;
}

}  // namespace lab::store
