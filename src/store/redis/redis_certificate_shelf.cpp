#include "store/redis/redis_certificate_shelf.h"

#include <spdlog/spdlog.h>

namespace lab::store {

void RedisCertificateShelf::put(std::string_view fingerprint, std::string_view certificate_pem) {
  const std::string key = options_.prefix + "cert:" + std::string(fingerprint);
  auto reply = options_.client->replicated(std::vector<std::string_view>{"SET", key, certificate_pem},
                                           redis::Retry::kIdempotent);
  if (!reply || reply->is_error()) {
    // The other instances then refuse this agent's signatures until it logs in with them: safe, and logged.
    spdlog::error("cannot share an admitted certificate: {}", reply ? reply->text : reply.error().message);
  }
}

std::optional<std::string> RedisCertificateShelf::get(std::string_view fingerprint) const {
  auto reply = options_.client->command({"GET", options_.prefix + "cert:" + std::string(fingerprint)},
                                        redis::Retry::kIdempotent);
  if (!reply || reply->kind != redis::RedisReply::Kind::kString) return std::nullopt;
  return std::move(reply->text);
}

}  // namespace lab::store
