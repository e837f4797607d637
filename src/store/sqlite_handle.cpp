#include "store/sqlite_handle.h"

#include <sqlite3.h>

#include <climits>
#include <utility>

#include "core/json_fields.h"

namespace lab::store {

namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return Error{ErrorCode::kInternalError, std::move(message)};
}

// SQLite takes int lengths: anything longer is refused, never cut short.
bool fits(std::string_view s) { return s.size() <= static_cast<std::size_t>(INT_MAX); }
int length_of(std::string_view s) { return static_cast<int>(s.size()); }

}  // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::exchange(other.bind_error_, 0)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::exchange(other.bind_error_, 0);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

SqliteStatement& SqliteStatement::bind_text(int index, std::string_view text) {
  note_bind(fits(text) ? sqlite3_bind_text(stmt_, index, text.data(), length_of(text), SQLITE_TRANSIENT)
                       : SQLITE_TOOBIG);
  return *this;
}

SqliteStatement& SqliteStatement::bind_blob(int index, std::string_view bytes) {
  // An empty blob still binds as a blob, not NULL.
  static const char kNothing = 0;
  note_bind(fits(bytes) ? sqlite3_bind_blob(stmt_, index, bytes.empty() ? &kNothing : bytes.data(), length_of(bytes),
                                            SQLITE_TRANSIENT)
                        : SQLITE_TOOBIG);
  return *this;
}

SqliteStatement& SqliteStatement::bind_int64(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Result<bool> SqliteStatement::step() {
  if (bind_error_ != SQLITE_OK) {
    Error error{ErrorCode::kInternalError, std::string("sqlite bind: ") + sqlite3_errstr(bind_error_)};
    reset();
    return error;
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = sqlite_error(db_, "sqlite step");
  sqlite3_reset(stmt_);
  return error;
}

Status SqliteStatement::run() {
  Result<bool> row = step();
  while (row.ok() && *row) row = step();
  reset();
  if (!row.ok()) return row.error();
  return ok_status();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

std::int64_t SqliteStatement::column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string_view SqliteStatement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);  // before _bytes, as SQLite asks
  const int n = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(n)};
}

std::string_view SqliteStatement::column_blob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  const int n = sqlite3_column_bytes(stmt_, index);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob), static_cast<std::size_t>(n)};
}

bool SqliteStatement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

Result<SqliteDb> SqliteDb::open(const std::filesystem::path& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;  // the owner serializes every use
  switch (mode) {
    case Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteDb db(raw);  // closed on every path below
  if (rc != SQLITE_OK) return db.error("cannot open " + path.string());
  sqlite3_extended_result_codes(raw, 1);
  if (sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr) != SQLITE_OK ||
      sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr) != SQLITE_OK) {
    return db.error("cannot harden the connection to " + path.string());
  }
  return db;
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a terminated string
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return error("sqlite exec");
  return ok_status();
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (!fits(sql)) return Error{ErrorCode::kInternalError, "sqlite prepare: statement too long"};
  if (sqlite3_prepare_v3(db_, sql.data(), length_of(sql), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return error("sqlite prepare");
  }
  return SqliteStatement(db_, stmt);
}

Result<std::string> SqliteDb::query_text(std::string_view sql) {
  LAB_ASSIGN_OR_RETURN(SqliteStatement statement, prepare(sql));
  LAB_ASSIGN_OR_RETURN(const bool row, statement.step());
  if (!row) return Error{ErrorCode::kInternalError, "sqlite query returned no row"};
  return std::string(statement.column_text(0));
}

Error SqliteDb::error(std::string_view what) const { return sqlite_error(db_, what); }

Status sqlite_backup(SqliteDb& from, SqliteDb& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) return to.error("backup init");
  const int step = sqlite3_backup_step(backup, -1);  // every page in one step: one consistent snapshot
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) return Error{ErrorCode::kInternalError, std::string("backup: ") + sqlite3_errstr(step)};
  if (finish != SQLITE_OK) return to.error("backup finish");
  return ok_status();
}

}  // namespace lab::store
