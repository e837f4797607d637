// EventBus: the coordinator's event stream. Every published event gets a
// sequence number and a timestamp and is pushed to every subscriber.
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "coordinator/event_sink.h"
#include "core/clock.h"
#include "core/domain.h"

namespace lab::coordinator {

class EventBus {
 public:
  explicit EventBus(const Clock& clock = system_clock()) : clock_(clock) {}

  // Subscribing twice to the same target delivers each event once.
  void subscribe(std::shared_ptr<EventSink> subscriber);
  // Adds "seq" and "time" to `event`, pushes it, and returns the final event.
  Json publish(Json event);
  std::size_t subscriber_count() const;

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::vector<std::shared_ptr<EventSink>> subscribers_;
};

}  // namespace lab::coordinator
