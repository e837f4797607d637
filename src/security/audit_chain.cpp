#include "security/audit_chain.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/bounded_json.h"
#include "security/digest.h"

namespace lab::security {

namespace {

// Every member of an entry, in canonical (sorted) order.
constexpr std::string_view kEntryKeys[] = {"actor", "detail", "hash", "kind", "prev", "seq", "time_ms"};

std::string canonical_json(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// SHA-256(prev ‖ canonical JSON of the entry without "hash").
std::string chain_hash(std::string_view prev, const Json& entry_without_hash) {
  std::string input(prev);
  input += canonical_json(entry_without_hash);
  return sha256_hex(input);
}

bool is_hash_text(const Json& value) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() != kAuditChainStart.size()) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_entry_shape(const Json& entry) {
  if (!entry.is_object() || entry.size() != std::size(kEntryKeys)) return false;
  for (const auto key : kEntryKeys) {
    if (!entry.contains(key)) return false;
  }
  return entry["seq"].is_number_unsigned() && entry["time_ms"].is_number_integer() && entry["kind"].is_string() &&
         !entry["kind"].get_ref<const std::string&>().empty() && entry["actor"].is_string() &&
         entry["detail"].is_object() && is_hash_text(entry["prev"]) && is_hash_text(entry["hash"]);
}

Error at_line(std::uint64_t line, std::string_view reason) {
  return Error{ErrorCode::kInvalidField, "line " + std::to_string(line) + ": " + std::string(reason)};
}

std::string system_error(std::string_view what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

// Replays a chain one line at a time; stops at the first line that does not fit.
class ChainReplay {
 public:
  // One complete line, without its '\n'.
  Status line(std::string_view text) {
    ++line_;
    if (text.empty()) return at_line(line_, "empty line");
    BoundedJson parsed = parse_json_bounded(text);
    if (parsed.status == JsonParseStatus::kTooDeep) return at_line(line_, "nested too deeply");
    if (parsed.status != JsonParseStatus::kOk) return at_line(line_, "not JSON");
    Json& entry = parsed.value;
    if (!is_entry_shape(entry)) return at_line(line_, "not an audit entry (members or their types)");
    // Only the canonical text is accepted, so no byte of a line can change
    // without changing what the hash covers.
    if (canonical_json(entry) != text) return at_line(line_, "not in canonical form");
    const auto seq = entry["seq"].get<std::uint64_t>();
    if (seq != head_.entries + 1) {
      return at_line(line_, "seq " + std::to_string(seq) + " follows " + std::to_string(head_.entries));
    }
    if (entry["prev"].get_ref<const std::string&>() != head_.last_hash) {
      return at_line(line_, line_ == 1 ? std::string("prev is not the start of a chain")
                                       : "prev does not match line " + std::to_string(line_ - 1));
    }
    std::string hash = std::move(entry["hash"].get_ref<std::string&>());
    entry.erase("hash");
    if (chain_hash(head_.last_hash, entry) != hash) return at_line(line_, "hash does not match its content");
    head_ = AuditVerification{seq, std::move(hash)};
    return ok_status();
  }

  // What follows the last '\n': nothing in a complete log.
  Status end(std::string_view rest) const {
    if (!rest.empty()) return at_line(line_ + 1, "truncated (the last line does not end)");
    return ok_status();
  }

  const AuditVerification& head() const { return head_; }

 private:
  std::uint64_t line_ = 0;
  AuditVerification head_;
};

struct Replayed {
  AuditVerification head;
  std::uint64_t bytes = 0;
};

// Reads the whole file through `fd` from its start and replays the chain.
Result<Replayed> replay_file(int fd, const std::filesystem::path& path) {
  ChainReplay replay;
  std::string chunk(64 * 1024, '\0');
  std::string pending;
  std::uint64_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, chunk.data(), chunk.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{ErrorCode::kInternalError, system_error("cannot read audit log", path)};
    if (n == 0) break;
    offset += static_cast<std::uint64_t>(n);
    pending.append(chunk.data(), static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      if (auto s = replay.line(std::string_view(pending).substr(start, nl - start)); !s) return s.error();
    }
    pending.erase(0, start);
  }
  if (auto s = replay.end(pending); !s) return s.error();
  return Replayed{replay.head(), offset};
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<AuditVerification> verify_audit_log(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kInternalError, system_error("cannot open audit log", path)};
  auto replayed = replay_file(fd, path);
  ::close(fd);
  if (!replayed) return replayed.error();
  return std::move(replayed->head);
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(AuditLogOptions options) {
  if (options.clock == nullptr) options.clock = &system_clock();
  const int fd = ::open(options.path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, options.file_mode);
  if (fd < 0) return Error{ErrorCode::kInternalError, system_error("cannot open audit log", options.path)};
  // Two writers would fork the chain: one AuditLog per file at a time.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    auto error = system_error("cannot lock audit log", options.path);
    ::close(fd);
    return Error{ErrorCode::kInternalError, std::move(error)};
  }
  auto replayed = replay_file(fd, options.path);
  if (!replayed) {
    ::close(fd);
    Error error = replayed.error();
    if (error.code == ErrorCode::kInvalidField) {
      error.message = "audit log " + options.path.string() + " does not verify, refusing to append: " + error.message;
    }
    return error;
  }
  if (replayed->bytes == 0 && options.sync_every_append) {
    // A file just created: make its directory entry durable too.
    auto dir = options.path.parent_path();
    if (dir.empty()) dir = ".";
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return std::unique_ptr<AuditLog>(
      new AuditLog(std::move(options), fd, replayed->bytes, std::move(replayed->head)));
}

AuditLog::AuditLog(AuditLogOptions options, int fd, std::uint64_t size, AuditVerification head)
    : options_(std::move(options)), fd_(fd), size_(size), head_(std::move(head)) {}

AuditLog::~AuditLog() { ::close(fd_); }

AuditVerification AuditLog::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}

Result<std::uint64_t> AuditLog::append(std::string_view kind, std::string_view actor, const Json& detail) {
  if (kind.empty()) return Error{ErrorCode::kInvalidField, "an audit entry needs a kind"};
  if (!detail.is_object()) return Error{ErrorCode::kInvalidField, "an audit entry's detail must be a JSON object"};

  std::lock_guard lock(mutex_);
  if (broken_) return Error{ErrorCode::kInternalError, "audit log " + path().string() + " failed earlier"};
  const std::uint64_t seq = head_.entries + 1;
  Json entry{{"seq", seq},
             {"time_ms", unix_millis(options_.clock->now())},
             {"kind", std::string(kind)},
             {"actor", std::string(actor)},
             {"detail", detail},
             {"prev", head_.last_hash}};
  std::string hash = chain_hash(head_.last_hash, entry);
  entry["hash"] = hash;
  std::string line = canonical_json(entry);
  // The verifier refuses what it would not parse: never write such a line.
  if (json_nesting_depth(line, kMaxJsonDepth) > kMaxJsonDepth) {
    return Error{ErrorCode::kInvalidField, "an audit entry's detail is nested too deeply"};
  }
  line += '\n';

  if (!write_all(fd_, line)) {
    auto error = system_error("cannot write audit log", path());
    // Cut a partial line off again; if that fails the file's end is unknown.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) broken_ = true;
    return Error{ErrorCode::kInternalError, std::move(error)};
  }
  if (options_.sync_every_append && ::fdatasync(fd_) != 0) {
    broken_ = true;  // whether the entry reached the disk is unknown
    return Error{ErrorCode::kInternalError, system_error("cannot sync audit log", path())};
  }
  size_ += line.size();
  head_ = AuditVerification{seq, std::move(hash)};
  return seq;
}

}  // namespace lab::security
