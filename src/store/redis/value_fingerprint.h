// The fingerprint of a value as stored in Redis: lower-case hex SHA-1, what the functions compute with
// redis.sha1hex. An optimistic admission checks with it that a value an instance cached is still, byte for byte,
// the one in Redis (`unchanged` step of data/redis/lab_sessions.lua). An equality check of sealed bytes that only
// the key holder can make, not a signature: the seal is what makes a value trustworthy.
#pragma once

#include <string>
#include <string_view>

namespace lab::store {

std::string value_fingerprint(std::string_view stored_value);

}  // namespace lab::store
