// RedisAdmission: stage 4's optimistic admission (coordinator/optimistic_admission.h) over Redis. The steps the
// Redis-backed controls recorded on this thread (store/redis/admission_recording.h) go to Redis as one FCALL of
// `admit` (data/redis/lab_sessions.lua), which checks them all and applies them all or none; it is a security
// write (a nonce, a budget), so it is answered only once a replica holds it, like every other.
#pragma once

#include <memory>

#include "coordinator/optimistic_admission.h"
#include "redis/redis_client.h"

namespace lab::stage4 {

class RedisAdmission final : public coordinator::OptimisticAdmission {
 public:
  explicit RedisAdmission(std::shared_ptr<redis::RedisClient> client) : client_(std::move(client)) {}

  void begin() override;
  bool commit() override;
  void discard() noexcept override;

 private:
  std::shared_ptr<redis::RedisClient> client_;
};

}  // namespace lab::stage4
