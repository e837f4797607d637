#include "core/clock.h"

#include <ctime>

namespace lab {

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

std::int64_t unix_seconds(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t unix_millis(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string iso8601(Clock::TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  const auto millis = unix_millis(t) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%.*s.%03lldZ", static_cast<int>(n), buf, static_cast<long long>(millis));
  return out;
}

}  // namespace lab
