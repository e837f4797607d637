// Time seam: code asks a Clock, tests may substitute one.
#pragma once

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

// The process-wide system clock.
const Clock& system_clock();

std::int64_t unix_seconds(Clock::TimePoint t);
std::int64_t unix_millis(Clock::TimePoint t);
// "2026-11-23T13:12:18.123Z"
std::string iso8601(Clock::TimePoint t);

}  // namespace lab
