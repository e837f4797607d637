// RedisReply: one reply of a Redis server, as hiredis' reader decoded it (RESP2): a bulk or status string, an
// integer, nil, an array of replies, or an error reply. An error reply is a value, not a failure of the call:
// the command reached Redis and Redis refused it; the caller decides what that means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab::redis {

struct RedisReply {
  enum class Kind { kNil, kString, kStatus, kInteger, kArray, kError };

  Kind kind = Kind::kNil;
  std::string text;           // kString, kStatus, kError
  std::int64_t integer = 0;   // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return kind == Kind::kNil; }
  bool is_error() const { return kind == Kind::kError; }
  bool is_ok() const { return kind == Kind::kStatus && text == "OK"; }
  // An error reply whose code (its first word) is `code`, e.g. "READONLY", "NOPERM".
  bool is_error(std::string_view code) const;
  // An integer reply, or a string of decimal digits (hash fields come back as strings); nullopt otherwise.
  std::optional<std::int64_t> as_integer() const;
  // For messages: the reply in one line, strings shortened.
  std::string describe() const;
};

}  // namespace lab::redis
