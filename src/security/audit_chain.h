// The audit log of stage 3: an append-only file of JSON lines, each entry
// chained to the one before it by a SHA-256 hash, and the verifier that
// replays the chain.
//
// One entry per line, in canonical JSON (nlohmann's dump(): keys sorted, no
// whitespace, invalid UTF-8 replaced by U+FFFD):
//
//   {"actor":"alice","detail":{...},"hash":"<64 hex>","kind":"login",
//    "prev":"<hash of the previous entry, or 64 zeros>","seq":1,"time_ms":...}
//
//   hash = SHA-256(prev ‖ canonical JSON of the entry without "hash")
//
// seq counts from 1 without gaps. Any edit of a line's bytes, a deleted,
// inserted, duplicated or reordered line, or a torn last line makes the chain
// fail at the first line that no longer fits. What a chain cannot show on its
// own: whole entries cut off the end (the file still verifies, shorter), or a
// file rewritten from scratch by someone who recomputes every hash. Both need
// the last hash kept somewhere the writer of the file cannot change (which is
// why verification reports it).
//
// Never log secrets: an entry is as readable as the file. Callers pass
// session-id hashes or short prefixes, key fingerprints, never a session id,
// a key, a password or a signature.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/domain.h"
#include "core/result.h"

namespace lab::security {

// The `prev` of the first entry.
inline constexpr std::string_view kAuditChainStart =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditVerification {
  std::uint64_t entries = 0;                // the last entry's seq
  std::string last_hash{kAuditChainStart};  // kAuditChainStart for an empty log
};

// Replays the chain of the file at `path`. An empty file is a valid log of 0
// entries. Failure: INVALID_FIELD with "line N: reason" (N counts from 1), or
// INTERNAL_ERROR when the file cannot be read.
[[nodiscard]] Result<AuditVerification> verify_audit_log(const std::filesystem::path& path);

struct AuditLogOptions {
  std::filesystem::path path;
  // fdatasync after every line: an entry is on disk when append() returns.
  // Off: the line is written (a crash of the process keeps it), the machine's
  // crash may lose the last entries.
  bool sync_every_append = true;
  // Where time_ms comes from; must outlive the log.
  const Clock* clock = &system_clock();
  // Permissions of a file created by open() (before the umask).
  unsigned file_mode = 0600;
};

// The writer of one audit file. Thread-safe: append() may be called from any
// thread; entries get consecutive seq numbers in the order they are written.
// The file is locked (flock) while the log is open, so a second AuditLog, in
// this process or another, refuses to open it.
class AuditLog {
 public:
  // Opens the file, creating it when absent, and verifies it: an intact log
  // is continued from its last seq and hash; a log that does not verify is
  // refused (INVALID_FIELD, the verifier's reason) and left as it is.
  [[nodiscard]] static Result<std::unique_ptr<AuditLog>> open(AuditLogOptions options);
  ~AuditLog();

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writes one entry and returns its seq. `kind` names the event ("login",
  // "role_changed", ...), `actor` who caused it, `detail` is a JSON object
  // with the rest (no secrets, see above). INVALID_FIELD for an empty kind or
  // a detail that is not an object; INTERNAL_ERROR when the file cannot be
  // written, after which the log refuses further entries if the file may
  // hold a partial line.
  [[nodiscard]] Result<std::uint64_t> append(std::string_view kind, std::string_view actor, const Json& detail);

  // The chain so far: the last entry's seq and hash.
  AuditVerification head() const;
  const std::filesystem::path& path() const { return options_.path; }

 private:
  AuditLog(AuditLogOptions options, int fd, std::uint64_t size, AuditVerification head);

  const AuditLogOptions options_;
  const int fd_;
  mutable std::mutex mutex_;
  std::uint64_t size_;      // guarded by mutex_: bytes of complete entries
  AuditVerification head_;  // guarded by mutex_
  bool broken_ = false;     // guarded by mutex_: a failed write left the file unknown
};

}  // namespace lab::security
