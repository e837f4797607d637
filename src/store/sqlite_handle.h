// SqliteDb and SqliteStatement: RAII over SQLite's C API (a connection and its
// prepared statements), with every failure returned as a value. The sealed
// journal and the durable-write benchmark are built on them.
//
// Thread safety: none of their own. A connection and its statements are used
// by one thread at a time; the owner serializes (the sealed journal holds a
// mutex around every use).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lab::store {

// A prepared statement. Parameters are numbered from 1, as `?1` in the SQL.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  ~SqliteStatement();  // finalizes

  // The bound bytes are copied (SQLITE_TRANSIENT): the argument may go away.
  // A bind that fails (no memory, too big) makes the next step fail.
  SqliteStatement& bind_text(int index, std::string_view text);
  SqliteStatement& bind_blob(int index, std::string_view bytes);
  SqliteStatement& bind_int64(int index, std::int64_t value);

  // True: a row is ready to read. False: the statement has finished.
  [[nodiscard]] Result<bool> step();
  // Steps to the end (a statement without rows), then resets.
  [[nodiscard]] Status run();
  // Ready to run again; bindings cleared.
  void reset();

  // Columns of the current row, numbered from 0. The views live until the next step or reset.
  std::int64_t column_int64(int index) const;
  std::string_view column_text(int index) const;
  std::string_view column_blob(int index) const;
  bool column_is_null(int index) const;

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void note_bind(int rc);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;  // the first failed bind since the last reset, reported by the next step
};

// A connection. Statements prepared on it must be destroyed before it is
// (it is closed with sqlite3_close_v2, so a leftover one only delays the close).
class SqliteDb {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite, kReadOnly };

  // The connection hardened for files an attacker may have written: defensive
  // mode (no writable_schema tricks, no shadow-table writes) and
  // trusted_schema=OFF (no SQL functions from views or triggers in the file).
  [[nodiscard]] static Result<SqliteDb> open(const std::filesystem::path& path, Mode mode);

  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  ~SqliteDb();

  // One or more statements without results.
  [[nodiscard]] Status exec(std::string_view sql);
  [[nodiscard]] Result<SqliteStatement> prepare(std::string_view sql);
  // The first column of the first row of `sql` as text ("" for NULL); an error when there is no row.
  [[nodiscard]] Result<std::string> query_text(std::string_view sql);

  // INTERNAL_ERROR "`what`: <SQLite's message>". SQLite's messages name
  // tables and constraints, never bound values.
  Error error(std::string_view what) const;
  sqlite3* get() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// Copies the whole database of `from` into `to` with the online backup API
// (sqlite3_backup_init / step(-1) / finish), as one transaction on `to`.
[[nodiscard]] Status sqlite_backup(SqliteDb& from, SqliteDb& to);

}  // namespace lab::store
