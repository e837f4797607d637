#include "store/redis/redis_rate_budget.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "store/redis/admission_recording.h"

namespace lab::store {
namespace {

std::string decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

security::RateDecision RedisRateBudget::take(std::string_view key, double cost) {
  const std::string bucket = options_.prefix + "rate:" + name_ + ":" + std::string(key);
  if (auto* recording = AdmissionRecording::on_this_thread()) {
    // Admitted optimistically: the tokens are taken in the request's one call, if the bucket holds them.
    recording->add({"bucket", bucket, {decimal(limits_.per_second), decimal(limits_.burst), decimal(cost)}});
    return {true, std::chrono::milliseconds(0)};
  }
  // Idempotent enough to retry: a lost reply may have taken a token, which only errs on the strict side.
  auto reply = options_.client->command({"FCALL", "bucket_take", "1", bucket, decimal(limits_.per_second),
                                         decimal(limits_.burst), decimal(cost)},
                                        redis::Retry::kIdempotent);
  if (!reply || reply->kind != redis::RedisReply::Kind::kArray || reply->elements.size() != 2) {
    spdlog::error("rate budget '{}' unavailable: {}", name_, reply ? reply->describe() : reply.error().message);
    return {false, std::chrono::milliseconds(1000)};
  }
  return {reply->elements[0].integer == 1, std::chrono::milliseconds(reply->elements[1].integer)};
}

}  // namespace lab::store
