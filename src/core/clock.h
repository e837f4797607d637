// Time seam: code asks a Clock, tests may substitute one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace lab {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to: expiry tests advance it instead of sleeping.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = std::chrono::system_clock::now()) : now_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void advance(std::chrono::milliseconds by) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(by).count();
  }

 private:
  std::atomic<TimePoint::rep> now_;
};

// The process-wide system clock.
const Clock& system_clock();

std::int64_t unix_seconds(Clock::TimePoint t);
std::int64_t unix_millis(Clock::TimePoint t);
// "2026-11-23T13:12:18.123Z"
std::string iso8601(Clock::TimePoint t);

}  // namespace lab
