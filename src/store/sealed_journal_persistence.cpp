#include "store/sealed_journal_persistence.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <stdexcept>

namespace lab::store {
namespace {

// The last change this thread submitted: the one its request waits for.
thread_local std::optional<SealedJournal::Ticket> last_submitted;
thread_local const SealedJournal* last_journal = nullptr;

}  // namespace

SealedJournalPersistence::SealedJournalPersistence(std::unique_ptr<SealedJournal> journal,
                                                   std::optional<SequenceMark> mark)
    : journal_(std::move(journal)), mark_(std::move(mark)) {
  if (mark_) advance_mark();
}

void SealedJournalPersistence::advance_mark() {
  if (auto s = mark_->advance(journal_->last_sequence()); !s) spdlog::error("sequence mark: {}", s.error().message);
}

void SealedJournalPersistence::record(const Change& change) {
  last_submitted = journal_->submit(change);
  last_journal = journal_.get();
}

Status SealedJournalPersistence::wait_durable() {
  if (!last_submitted || last_journal != journal_.get()) return ok_status();
  const SealedJournal::Ticket ticket = *last_submitted;
  last_submitted.reset();
  Status durable = journal_->wait_durable(ticket);
  if (durable && mark_) advance_mark();
  return durable;
}

Json SealedJournalPersistence::load() {
  auto changes = journal_->load_all();
  if (!changes) throw std::runtime_error("the sealed state does not verify: " + changes.error().message);
  Json state = Json::object();
  for (Collection c : kAllCollections) state[std::string(to_string(c))] = Json::array();
  for (const auto& change : *changes) {
    if (!change.record.is_null()) state[std::string(to_string(change.collection))].push_back(change.record);
  }
  return changes->empty() ? Json() : state;
}

void SealedJournalPersistence::flush() {
  if (auto s = journal_->flush(); !s) {
    spdlog::error("sealed state: {}", s.error().message);
  } else if (mark_) {
    advance_mark();
  }
}

}  // namespace lab::store
