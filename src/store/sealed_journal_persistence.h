// SealedJournalPersistence: memory stores kept in a SealedJournal (sealed
// SQLite rows, group commit). A change is submitted under the store's lock,
// in order; the request that made it waits for its commit (wait_durable)
// before it is answered, so an acknowledged change survives a crash. With a
// SequenceMark, every acknowledged commit also moves the mark (outside the
// state directory) up to the journal's sequence.
#pragma once

#include <memory>
#include <optional>

#include "store/sealed_journal.h"
#include "store/sequence_mark.h"
#include "store/state_persistence.h"

namespace lab::store {

class SealedJournalPersistence final : public StatePersistence {
 public:
  explicit SealedJournalPersistence(std::unique_ptr<SealedJournal> journal,
                                    std::optional<SequenceMark> mark = std::nullopt);

  void record(const Change& change) override;
  Json load() override;
  bool starts_empty_when_unreadable() const override { return false; }  // a journal that does not verify stops the start
  void discard_loaded() override {}
  void flush() override;
  Status wait_durable() override;
  Result<std::uint64_t> backup_to(const std::filesystem::path& path) override { return journal_->backup_to(path); }
  SealedJournal& journal() { return *journal_; }

 private:
  void advance_mark();

  std::unique_ptr<SealedJournal> journal_;
  std::optional<SequenceMark> mark_;
};

}  // namespace lab::store
