#include "attacks/record_rollback.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "core/domain.h"
#include "core/file_io.h"
#include "security/hex.h"
#include "store/sqlite_handle.h"

namespace lab::attacks {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

Error nothing_to_roll_back(std::string message) { return Error{ErrorCode::kInvalidField, std::move(message)}; }

// The element of `doc[collection]` whose "id" is `id`.
Json* record_in(Json& doc, std::string_view collection, std::string_view id) {
  if (!doc.is_object()) return nullptr;
  const auto list = doc.find(std::string(collection));
  if (list == doc.end() || !list->is_array()) return nullptr;
  for (auto& record : *list) {
    if (record.is_object() && record.value("id", "") == id) return &record;
  }
  return nullptr;
}

std::optional<Result<RolledBackRecord>> roll_back_json(const fs::path& old_file, const fs::path& file,
                                                       std::string_view collection, std::string_view id) {
  Json now = Json::parse(read_file(file).value_or(""), nullptr, false);
  Json* current = record_in(now, collection, id);
  if (current == nullptr) return std::nullopt;  // not this file
  Json before = Json::parse(read_file(old_file).value_or(""), nullptr, false);
  const Json* older = record_in(before, collection, id);
  if (older == nullptr) return nothing_to_roll_back(std::string(id) + " is not in the older copy of " + file.string());
  if (*older == *current) return nothing_to_roll_back(std::string(id) + " has not changed since the copy");
  const std::string what = std::string(collection) + " record " + std::string(id) + " from version " +
                           current->value("version", Json("?")).dump() + " back to version " +
                           older->value("version", Json("?")).dump();
  *current = *older;
  if (!write_file(file, now.dump(1))) return Error{ErrorCode::kInternalError, "cannot write " + file.string()};
  return RolledBackRecord{file, what};
}

struct Row {
  std::int64_t version = 0;
  std::string sealed;
};

// Rows of `collection` in the journal file `db`, by key hash.
Result<std::map<std::string, Row>> journal_rows(store::SqliteDb& db, std::string_view collection) {
  auto select = db.prepare("SELECT key_hash, version, sealed FROM journal WHERE collection = ?1");
  if (!select) return select.error();
  select->bind_text(1, collection);
  std::map<std::string, Row> rows;
  for (;;) {
    auto more = select->step();
    if (!more) return more.error();
    if (!*more) return rows;
    rows[std::string(select->column_blob(0))] = Row{select->column_int64(1), std::string(select->column_blob(2))};
  }
}

Result<RolledBackRecord> roll_back_journal(const fs::path& old_file, const fs::path& file,
                                           std::string_view collection) {
  auto older = store::SqliteDb::open(old_file, store::SqliteDb::Mode::kReadWrite);
  if (!older) return older.error();
  auto before = journal_rows(*older, collection);
  if (!before) return before.error();
  auto db = store::SqliteDb::open(file, store::SqliteDb::Mode::kReadWrite);
  if (!db) return db.error();
  auto now = journal_rows(*db, collection);
  if (!now) return now.error();
  for (const auto& [key_hash, row] : *now) {
    const auto old = before->find(key_hash);
    if (old == before->end() || old->second.version == row.version) continue;
    auto update = db->prepare("UPDATE journal SET version = ?1, sealed = ?2 WHERE collection = ?3 AND key_hash = ?4");
    if (!update) return update.error();
    update->bind_int64(1, old->second.version).bind_blob(2, old->second.sealed).bind_text(3, collection);
    update->bind_blob(4, key_hash);
    if (auto s = update->run(); !s) return s.error();
    const std::string hash_prefix = security::hex_encode(reinterpret_cast<const unsigned char*>(key_hash.data()),
                                                         std::min<std::size_t>(6, key_hash.size()));
    return RolledBackRecord{file, "the " + std::string(collection) + " row written since the copy (key hash " +
                                      hash_prefix + "…) back from its write at journal sequence " +
                                      std::to_string(row.version) + " to the copy's, written at sequence " +
                                      std::to_string(old->second.version) + " (sealed value and version together)"};
  }
  return nothing_to_roll_back("no " + std::string(collection) + " row of " + file.string() +
                              " changed since the copy");
}

}  // namespace

Result<RolledBackRecord> roll_back_one_record(const fs::path& older_copy, const fs::path& state_dir,
                                              std::string_view collection, std::string_view id) {
  std::error_code ec;
  for (fs::directory_iterator it(state_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path old_file = older_copy / it->path().filename();
    if (!fs::is_regular_file(old_file, ec)) continue;
    const std::string bytes = read_file(it->path()).value_or("");
    if (bytes.starts_with(kSqliteHeader)) return roll_back_journal(old_file, it->path(), collection);
    if (auto done = roll_back_json(old_file, it->path(), collection, id)) return std::move(*done);
  }
  return nothing_to_roll_back("no file in " + state_dir.string() + " holds a " + std::string(collection) +
                              " record to put back");
}

}  // namespace lab::attacks
