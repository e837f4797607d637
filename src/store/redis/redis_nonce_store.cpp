#include "store/redis/redis_nonce_store.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "store/redis/admission_recording.h"

namespace lab::store {

security::NonceVerdict RedisNonceStore::check_and_remember(std::string_view key_id, std::string_view nonce,
                                                           std::int64_t created_unix_seconds) {
  using security::NonceVerdict;
  if (key_id.empty() || nonce.empty() || key_id.size() > kMaxKeyIdLength || nonce.size() > kMaxNonceLength ||
      key_id.find(':') != std::string_view::npos) {
    return NonceVerdict::kMalformed;
  }
  const std::int64_t now = unix_seconds(options_.clock->now());
  if (std::llabs(created_unix_seconds - now) > limits_.skew.count()) return NonceVerdict::kOutsideWindow;
  const std::string key = options_.prefix + "nonce:" + std::string(key_id) + ":" + std::string(nonce);
  const auto lifetime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.lifetime).count();
  if (auto* recording = AdmissionRecording::on_this_thread()) {
    // Admitted optimistically: remembered in the request's one call, which holds only if the nonce is new.
    recording->add({"nonce", key, {std::to_string(lifetime_ms)}});
    return NonceVerdict::kFresh;
  }
  // A nonce is a security write: answered only once a replica holds it, or a failover could forget it and let
  // the same request through again.
  auto reply = options_.client->replicated(
      std::vector<std::string_view>{"FCALL", "nonce_remember", "1", key, std::to_string(lifetime_ms)});
  if (!reply || reply->is_error()) {
    spdlog::error("replay check unavailable: {}", reply ? reply->text : reply.error().message);
    return NonceVerdict::kUnavailable;
  }
  return reply->integer == 1 ? NonceVerdict::kFresh : NonceVerdict::kReplayed;
}

}  // namespace lab::store
