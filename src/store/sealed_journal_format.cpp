#include "store/sealed_journal_format.h"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "core/bounded_json.h"
#include "core/json_fields.h"
#include "security/hex.h"

namespace lab::store::journal_format {

namespace {

using security::HmacSha256;
using security::Key256;
using security::RecordBinding;
using security::SealingKeyring;

// SQLite keeps this text in its schema; a file whose schema differs is refused.
constexpr std::string_view kCreateTable =
    "CREATE TABLE journal(collection TEXT NOT NULL, key_hash BLOB NOT NULL, version INTEGER NOT NULL, "
    "sealed BLOB NOT NULL, PRIMARY KEY(collection, key_hash)) STRICT";
constexpr std::string_view kManifestCollection = "_manifest";
constexpr std::string_view kManifestKey = "manifest";
constexpr std::string_view kManifestMagic = "LABJ";
constexpr unsigned char kManifestFormat = 1;
constexpr std::size_t kManifestSize = kManifestMagic.size() + 1 + 8 + 8 + 32 + Key256::kSize;

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
std::uint64_t get_be(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return v;
}
void put_field(std::string& out, std::string_view field) {
  put_u64(out, field.size());
  out.append(field);
}
void wipe(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

std::string hex(std::string_view bytes) {
  return security::hex_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}
// How an error names a row: its collection and key hash (never the key).
std::string row_name(std::string_view collection, std::string_view key_hash) {
  return "row " + std::string(collection) + "/" + hex(key_hash);
}

std::optional<Collection> collection_named(std::string_view name) {
  for (Collection c : kAllCollections) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

RecordBinding manifest_binding(std::uint64_t sequence) {
  return RecordBinding{kManifestCollection, kManifestKey, sequence};
}

// magic ‖ format ‖ sequence ‖ count ‖ digest ‖ index key. Wiped by the caller after sealing.
std::string encode_manifest(const Manifest& m) {
  std::string out(kManifestMagic);
  out.push_back(static_cast<char>(kManifestFormat));
  put_u64(out, m.sequence);
  put_u64(out, m.count);
  out.append(bytes_of(m.digest));
  const auto key = m.index_key.bytes();
  out.append(reinterpret_cast<const char*>(key.data()), key.size());
  return out;
}

Result<Manifest> open_manifest(const SealingKeyring& keyring, std::string_view sealed, std::int64_t version) {
  if (version < 0) return integrity_error("the manifest has a negative version");
  auto opened = keyring.open(sealed, manifest_binding(static_cast<std::uint64_t>(version)));
  if (!opened.ok()) return integrity_error("the manifest does not open: a wrong keyring, or the manifest was changed");
  std::string plain = std::move(opened).value();
  if (plain.size() != kManifestSize || plain.compare(0, kManifestMagic.size(), kManifestMagic) != 0 ||
      static_cast<unsigned char>(plain[kManifestMagic.size()]) != kManifestFormat) {
    wipe(plain);
    return integrity_error("the manifest has an unknown format");
  }
  std::size_t at = kManifestMagic.size() + 1;
  const std::uint64_t sequence = get_be(plain, at, 8);
  const std::uint64_t count = get_be(plain, at + 8, 8);
  at += 16;
  HmacSha256 digest{};
  std::copy_n(plain.begin() + static_cast<std::ptrdiff_t>(at), digest.size(), digest.begin());
  std::string key_hex = hex(std::string_view(plain).substr(at + digest.size(), Key256::kSize));
  wipe(plain);
  auto key = Key256::from_hex(key_hex);
  wipe(key_hex);
  if (!key.ok()) return integrity_error("the manifest has an unknown format");
  // Sealed with its sequence as the version, so this holds unless the format itself is broken.
  if (sequence != static_cast<std::uint64_t>(version)) return integrity_error("the manifest's version was changed");
  return Manifest{sequence, count, digest, std::move(key).value()};
}

// The rows, checked one by one and then as a set against the manifest.
Result<Manifest> read_rows(SqliteDb& db, const SealingKeyring& keyring, std::vector<Change>* out) {
  LAB_ASSIGN_OR_RETURN(SqliteStatement q, db.prepare("SELECT version, sealed FROM journal "
                                                     "WHERE collection = ?1 AND key_hash = ?2"));
  q.bind_text(1, kManifestCollection).bind_blob(2, kManifestKey);
  LAB_ASSIGN_OR_RETURN(const bool found, q.step());
  if (!found) return integrity_error("the manifest is missing");
  LAB_ASSIGN_OR_RETURN(Manifest manifest, open_manifest(keyring, q.column_blob(1), q.column_int64(0)));

  LAB_ASSIGN_OR_RETURN(SqliteStatement rows, db.prepare("SELECT collection, key_hash, version, sealed FROM journal"));
  std::uint64_t count = 0;
  HmacSha256 digest{};
  for (;;) {
    LAB_ASSIGN_OR_RETURN(const bool row, rows.step());
    if (!row) break;
    const std::string_view name = rows.column_text(0), hash = rows.column_blob(1);
    if (name == kManifestCollection && hash == kManifestKey) continue;
    const auto collection = collection_named(name);
    if (!collection) return integrity_error("a row in an unknown collection");
    if (hash.size() != HmacSha256{}.size()) {
      return integrity_error("a row in " + std::string(name) + " has a malformed key hash");
    }
    const std::int64_t version = rows.column_int64(2);
    if (version < 1 || static_cast<std::uint64_t>(version) > manifest.sequence) {
      return integrity_error(row_name(name, hash) + " has a version the manifest never issued");
    }
    auto plain = keyring.open(rows.column_blob(3), RecordBinding{name, hash, static_cast<std::uint64_t>(version)});
    if (!plain.ok()) {
      return integrity_error(row_name(name, hash) + " does not open: changed, moved or sealed under another key");
    }
    const std::string_view text = *plain;
    const std::uint64_t key_size = text.size() >= 4 ? get_be(text, 0, 4) : 0;
    if (text.size() < 4 || key_size > text.size() - 4) return integrity_error(row_name(name, hash) + " is malformed");
    const std::string_view key = text.substr(4, key_size);
    if (!security::constant_time_equal(bytes_of(key_hash(manifest.index_key, name, key)), hash)) {
      return integrity_error(row_name(name, hash) + " belongs to another journal");
    }
    auto record = parse_json_bounded(text.substr(4 + key_size), 2 * kMaxJsonDepth);
    if (record.status != JsonParseStatus::kOk || record.value.is_null()) {
      return integrity_error(row_name(name, hash) + " holds no record");
    }
    xor_into(digest, row_mac(manifest.index_key, name, hash, static_cast<std::uint64_t>(version)));
    ++count;
    if (out != nullptr) out->push_back(Change{*collection, std::string(key), std::move(record.value)});
  }
  if (count != manifest.count || !security::constant_time_equal(bytes_of(digest), bytes_of(manifest.digest))) {
    return integrity_error(
        "the rows do not match the manifest: a row was added, removed or put back from an older copy");
  }
  return manifest;
}

}  // namespace

Error integrity_error(std::string message) {
  return Error{ErrorCode::kInvalidField, "sealed journal: " + std::move(message)};
}
Error storage_error(std::string message) {
  return Error{ErrorCode::kInternalError, "sealed journal: " + std::move(message)};
}

HmacSha256 key_hash(const Key256& index_key, std::string_view collection, std::string_view key) {
  std::string message("key");
  put_field(message, collection);
  put_field(message, key);
  return security::hmac_sha256(index_key, message);
}

HmacSha256 row_mac(const Key256& index_key, std::string_view collection, std::string_view key_hash,
                   std::uint64_t version) {
  std::string message("row");
  put_field(message, collection);
  put_field(message, key_hash);
  put_u64(message, version);
  return security::hmac_sha256(index_key, message);
}

void xor_into(HmacSha256& digest, const HmacSha256& mac) {
  for (std::size_t i = 0; i < digest.size(); ++i) digest[i] ^= mac[i];
}

std::string seal_row(const SealingKeyring& keyring, const Change& change, std::string_view key_hash,
                     std::uint64_t version) {
  std::string plain;
  put_u32(plain, static_cast<std::uint32_t>(change.key.size()));
  plain += change.key;
  plain += change.record.dump(-1, ' ', false, Json::error_handler_t::replace);
  return keyring.seal(plain, RecordBinding{to_string(change.collection), key_hash, version});
}

Status put_manifest(SqliteStatement& upsert, const SealingKeyring& keyring, const Manifest& manifest) {
  std::string plain = encode_manifest(manifest);
  const std::string sealed = keyring.seal(plain, manifest_binding(manifest.sequence));
  wipe(plain);
  return upsert.bind_text(1, kManifestCollection)
      .bind_blob(2, kManifestKey)
      .bind_int64(3, static_cast<std::int64_t>(manifest.sequence))
      .bind_blob(4, sealed)
      .run();
}

Status configure_live(SqliteDb& db) {
  // Exclusive: the file stays locked to this connection while it is open, so
  // a second journal (or process) on it is refused rather than interleaved.
  if (auto s = db.exec("PRAGMA locking_mode=EXCLUSIVE; PRAGMA synchronous=FULL"); !s.ok()) return s;
  LAB_ASSIGN_OR_RETURN(const std::string mode, db.query_text("PRAGMA journal_mode=WAL"));
  if (mode != "wal") return storage_error("the file cannot be put in WAL mode (it is " + mode + ")");
  return ok_status();
}

Result<bool> check_schema(SqliteDb& db) {
  LAB_ASSIGN_OR_RETURN(SqliteStatement q, db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema"));
  int objects = 0;
  bool table = false, index = false;
  for (;;) {
    LAB_ASSIGN_OR_RETURN(const bool row, q.step());
    if (!row) break;
    ++objects;
    const std::string type(q.column_text(0)), name(q.column_text(1)), owner(q.column_text(2));
    if (type == "table" && name == "journal" && q.column_text(3) == kCreateTable) table = true;
    if (type == "index" && name == "sqlite_autoindex_journal_1" && owner == "journal" && q.column_is_null(3)) {
      index = true;
    }
  }
  if (objects == 0) return true;
  if (objects != 2 || !table || !index) return integrity_error("the file holds something other than a sealed journal");
  return false;
}

Status create_journal(SqliteDb& db, const SealingKeyring& keyring) {
  if (auto s = db.exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status s = db.exec(kCreateTable);
  if (s.ok()) {
    auto upsert = db.prepare(kUpsert);
    s = upsert.ok() ? put_manifest(*upsert, keyring, Manifest{0, 0, {}, Key256::random()}) : Status(upsert.error());
  }
  if (s.ok()) s = db.exec("COMMIT");
  if (!s.ok()) (void)db.exec("ROLLBACK");
  return s;
}

Result<Manifest> read_verified(SqliteDb& db, const SealingKeyring& keyring, std::vector<Change>* out) {
  LAB_ASSIGN_OR_RETURN(const bool empty, check_schema(db));
  if (empty) return integrity_error("the file holds no journal");
  if (auto begun = db.exec("BEGIN"); !begun.ok()) return begun.error();
  auto result = read_rows(db, keyring, out);
  (void)db.exec("ROLLBACK");  // a read transaction: nothing to keep
  return result;
}

}  // namespace lab::store::journal_format
