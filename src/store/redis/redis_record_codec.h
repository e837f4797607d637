// RedisRecordCodec: how stage 4's Redis stores write a record's value. Sealed (AES-256-GCM, bound to the
// record's kind, id and version: security/sealed_record.h), so whoever reads Redis — its AOF, a replica, a MONITOR,
// a stolen backup — sees neither session keys nor board data, and a value edited, moved to another key or put
// back from an older version does not open. Plain JSON only when the stage's `sealed-durable-state` control is
// switched off, to show what that control is for. Thread-safe (immutable).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/sealed_record.h"

namespace lab::store {

class RedisRecordCodec {
 public:
  static RedisRecordCodec sealed(security::SealingKeyring keyring);
  static RedisRecordCodec plain();

  // The value to store for `plaintext`, record `kind`/`id` at `version`.
  std::string encode(std::string_view kind, std::string_view id, std::uint64_t version,
                     std::string_view plaintext) const;
  // The plaintext back; INVALID_FIELD "sealed record does not open" for anything that was not sealed by this
  // keyring for exactly this kind, id and version.
  Result<std::string> decode(std::string_view kind, std::string_view id, std::uint64_t version,
                             std::string_view stored) const;
  bool is_sealed() const { return keyring_ != nullptr; }

 private:
  explicit RedisRecordCodec(std::shared_ptr<const security::SealingKeyring> keyring) : keyring_(std::move(keyring)) {}
  std::shared_ptr<const security::SealingKeyring> keyring_;  // null = plain
};

}  // namespace lab::store
