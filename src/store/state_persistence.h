// StatePersistence: where memory stores' changes go to outlive the process,
// and where they come back from at start. Two kinds: a StateFile (one file,
// the whole state; stages 1-2) and a SealedJournalPersistence (a sealed SQLite
// journal, a change durable before it is acknowledged; stage 3).
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/domain.h"
#include "core/result.h"
#include "store/change.h"

namespace lab::store {

class StatePersistence : public ChangeSink {
 public:
  // The saved state, {"projects": [...], "tasks": [...], "agents": [...], "sessions": [...]}, or null when there
  // is none yet. Throws when the saved state cannot be trusted and the stage does not start empty.
  virtual Json load() = 0;
  // Whether a state the stores cannot restore means "start empty" (else the stage refuses to start).
  virtual bool starts_empty_when_unreadable() const = 0;
  // Forgets what load() read: the stores refused it and start empty.
  virtual void discard_loaded() = 0;
  // Writes whatever is pending now.
  virtual void flush() = 0;
  // Returns once every change this thread reported is durable; an error when it can not be made so.
  virtual Status wait_durable() { return ok_status(); }
  // A verified copy of the committed state at `path`, made while the stage serves; the copy's sequence.
  virtual Result<std::uint64_t> backup_to(const std::filesystem::path&) {
    return Error{ErrorCode::kInvalidRequest, "this stage's state file cannot be backed up while it serves"};
  }
};

}  // namespace lab::store
