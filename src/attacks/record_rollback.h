// What a host-level attacker with an older copy of a stage's state directory
// (a backup, a snapshot, a disk image) does to put ONE record back to what it
// was, leaving every other record as it is now. The stage must be stopped.
//
//  - A plaintext JSON state file (stages 1-2): the record with that id in that
//    collection is replaced by the copy's.
//  - Stage 3's sealed journal (SQLite, store/sealed_journal.h): the attacker
//    cannot read which record a row holds, but a row's key hash stays the same
//    across writes while its version changes, so comparing the copy with the
//    file shows the rows of that collection written since. The first such row
//    gets the copy's version and sealed value back, together: a row that
//    opens and verifies on its own, just older.
//
// Not this: putting the whole file back (the journal cannot tell a complete
// older copy from the current one; sealed_journal.h says so).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::attacks {

struct RolledBackRecord {
  std::filesystem::path file;  // the file edited
  std::string what;            // which record, and from which version to which, for evidence
};

// Puts the record `id` of `collection` (a journal's rows of `collection`) in the state under `state_dir` back to
// its content under `older_copy` (a copy of `state_dir` taken earlier). INVALID_FIELD when no file holds such a
// record, or nothing of it changed since the copy.
Result<RolledBackRecord> roll_back_one_record(const std::filesystem::path& older_copy,
                                              const std::filesystem::path& state_dir, std::string_view collection,
                                              std::string_view id);

}  // namespace lab::attacks
