#include "store/sequence_mark.h"

#include <charconv>
#include <fstream>

#include "core/file_io.h"
#include "security/digest.h"

namespace lab::store {

std::filesystem::path SequenceMark::path_for(const std::filesystem::path& directory,
                                             const std::filesystem::path& journal) {
  std::error_code ec;
  const auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(journal, ec), ec);
  // One mark per journal, so that several state directories may share one key directory.
  return directory / ("journal-" + security::sha256_hex(absolute.string()).substr(0, 16) + ".mark");
}

Result<SequenceMark> SequenceMark::open(std::filesystem::path file) {
  const auto text = read_file(file);
  if (!text || text->empty()) return SequenceMark(std::move(file), 0);
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || (stop != end && std::string_view(stop, end - stop) != "\n")) {
    return Error{ErrorCode::kInvalidField, file.string() + " does not hold a sequence number"};
  }
  return SequenceMark(std::move(file), value);
}

Status SequenceMark::advance(std::uint64_t sequence) {
  if (sequence <= written_.load()) return ok_status();  // the common case: another waiter of the commit wrote it
  std::lock_guard lock(mutex_);
  if (sequence <= written_.load()) return ok_status();
  return write(sequence);
}

Status SequenceMark::reset(std::uint64_t sequence) {
  std::lock_guard lock(mutex_);
  return write(sequence);
}

Status SequenceMark::write(std::uint64_t sequence) {
  std::filesystem::path partial = file_;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << sequence << '\n';
    if (!out.flush()) return Error{ErrorCode::kInternalError, "cannot write " + partial.string()};
  }
  std::error_code ec;
  std::filesystem::rename(partial, file_, ec);
  if (ec) return Error{ErrorCode::kInternalError, "cannot replace " + file_.string() + ": " + ec.message()};
  written_ = sequence;
  return ok_status();
}

}  // namespace lab::store
