// The sealed journal's file format (see sealed_journal.h for the layout and
// what it detects): the schema, keyed hashes of keys, sealed rows, the sealed
// manifest, and the verified read that checks all of them. SealedJournal
// writes through these functions and reads only through read_verified.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "security/hmac.h"
#include "security/key256.h"
#include "security/sealed_record.h"
#include "store/change.h"
#include "store/sqlite_handle.h"

namespace lab::store::journal_format {

// The manifest's content: what the journal vouches for.
struct Manifest {
  std::uint64_t sequence = 0;     // changes ever committed; each record row's version is one of them
  std::uint64_t count = 0;        // record rows
  security::HmacSha256 digest{};  // XOR of row_mac over the record rows
  security::Key256 index_key;     // random per journal; keys key_hash and row_mac
};

// Statements over the one table: ?1 collection, ?2 key hash, ?3 version, ?4 sealed.
inline constexpr std::string_view kUpsert =
    "INSERT INTO journal(collection, key_hash, version, sealed) VALUES(?1, ?2, ?3, ?4) "
    "ON CONFLICT(collection, key_hash) DO UPDATE SET version = excluded.version, sealed = excluded.sealed";
inline constexpr std::string_view kSelectVersion =
    "SELECT version FROM journal WHERE collection = ?1 AND key_hash = ?2";
inline constexpr std::string_view kDelete = "DELETE FROM journal WHERE collection = ?1 AND key_hash = ?2";

// INVALID_FIELD: the file or a row does not verify. INTERNAL_ERROR: SQLite or I/O.
Error integrity_error(std::string message);
Error storage_error(std::string message);

// HMAC(index key, "key" ‖ len ‖ collection ‖ len ‖ key): the key_hash column.
security::HmacSha256 key_hash(const security::Key256& index_key, std::string_view collection, std::string_view key);
// HMAC(index key, "row" ‖ len ‖ collection ‖ len ‖ key hash ‖ version): one row's share of the digest.
security::HmacSha256 row_mac(const security::Key256& index_key, std::string_view collection, std::string_view key_hash,
                             std::uint64_t version);
void xor_into(security::HmacSha256& digest, const security::HmacSha256& mac);
inline std::string_view bytes_of(const security::HmacSha256& mac) {
  return {reinterpret_cast<const char*>(mac.data()), mac.size()};
}

// The sealed column of a record row: len ‖ key ‖ record JSON, bound to {collection, key hash, version}.
std::string seal_row(const security::SealingKeyring& keyring, const Change& change, std::string_view key_hash,
                     std::uint64_t version);
// Writes the manifest row with `upsert` (a prepared kUpsert), sealed under the keyring's current key.
[[nodiscard]] Status put_manifest(SqliteStatement& upsert, const security::SealingKeyring& keyring,
                                  const Manifest& manifest);

// A connection as the live journal uses it: exclusive locking, WAL, synchronous=FULL.
[[nodiscard]] Status configure_live(SqliteDb& db);
// True when the file holds no schema at all; an error when it holds anything
// but the journal's table and its primary-key index.
[[nodiscard]] Result<bool> check_schema(SqliteDb& db);
// The table and an empty manifest with a fresh index key, in one transaction.
[[nodiscard]] Status create_journal(SqliteDb& db, const security::SealingKeyring& keyring);
// The schema, the manifest, every row opened and checked, and the set of rows
// checked against the manifest, in one read transaction. The records are
// appended to `out` when it is given.
[[nodiscard]] Result<Manifest> read_verified(SqliteDb& db, const security::SealingKeyring& keyring,
                                             std::vector<Change>* out);

}  // namespace lab::store::journal_format
