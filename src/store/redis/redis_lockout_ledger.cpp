#include "store/redis/redis_lockout_ledger.h"

#include <spdlog/spdlog.h>

namespace lab::store {

namespace {
// How long a login waits when Redis cannot say whether the account is locked.
constexpr std::chrono::milliseconds kUnavailableRetry{1000};
}  // namespace

std::string RedisLockoutLedger::key(std::string_view kind, std::string_view account) const {
  return options_.prefix + "lockout:" + std::string(kind) + ":" + std::string(account);
}

std::optional<std::chrono::milliseconds> RedisLockoutLedger::locked_for(std::string_view account) const {
  auto reply = options_.client->command({"PTTL", key("lock", account)}, redis::Retry::kIdempotent);
  if (!reply || reply->is_error()) {
    spdlog::error("lockout check unavailable: {}", reply ? reply->text : reply.error().message);
    return kUnavailableRetry;
  }
  if (reply->integer <= 0) return std::nullopt;  // -2: no lock; -1 cannot happen (every lock has a TTL)
  return std::chrono::milliseconds(reply->integer);
}

void RedisLockoutLedger::record_failure(std::string_view account) {
  const auto lock_ms = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.lock_for).count();
  auto reply = options_.client->replicated(
      std::vector<std::string_view>{"FCALL", "lockout_fail", "2", key("fails", account), key("lock", account),
                                    std::to_string(limits_.max_failures), std::to_string(lock_ms)});
  if (!reply || reply->is_error()) {
    spdlog::error("a failed login could not be counted: {}", reply ? reply->text : reply.error().message);
  }
}

void RedisLockoutLedger::record_success(std::string_view account) {
  auto reply = options_.client->command({"FCALL", "lockout_clear", "1", key("fails", account)},
                                        redis::Retry::kIdempotent);
  if (!reply || reply->is_error()) {
    spdlog::error("a login's failure count could not be cleared: {}", reply ? reply->text : reply.error().message);
  }
}

}  // namespace lab::store
