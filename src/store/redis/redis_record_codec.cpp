#include "store/redis/redis_record_codec.h"

namespace lab::store {

RedisRecordCodec RedisRecordCodec::sealed(security::SealingKeyring keyring) {
  return RedisRecordCodec(std::make_shared<const security::SealingKeyring>(std::move(keyring)));
}

RedisRecordCodec RedisRecordCodec::plain() { return RedisRecordCodec(nullptr); }

std::string RedisRecordCodec::encode(std::string_view kind, std::string_view id, std::uint64_t version,
                                     std::string_view plaintext) const {
  // Plain only with sealed-durable-state switched off: whoever can read Redis then reads keys and board data.
  if (!keyring_) return std::string(plaintext);
  return keyring_->seal(plaintext, security::RecordBinding{kind, id, version});
}

Result<std::string> RedisRecordCodec::decode(std::string_view kind, std::string_view id, std::uint64_t version,
                                             std::string_view stored) const {
  if (!keyring_) return std::string(stored);
  return keyring_->open(stored, security::RecordBinding{kind, id, version});
}

}  // namespace lab::store
