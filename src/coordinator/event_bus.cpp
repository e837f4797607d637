#include "coordinator/event_bus.h"

#include <algorithm>

#include "core/envelope.h"

namespace lab::coordinator {

void EventBus::subscribe(std::shared_ptr<net::OutboundChannel> subscriber) {
  std::lock_guard lock(mutex_);
  for (const auto& w : subscribers_) {
    if (w.lock() == subscriber) return;  // already subscribed: one copy of each event
  }
  subscribers_.push_back(subscriber);
}

Json EventBus::publish(Json event) {
  // Pushing only posts to each subscriber's strand, so it happens under the
  // lock: every subscriber sees events in seq order.
  std::lock_guard lock(mutex_);
  event["seq"] = next_seq_++;
  event["time"] = iso8601(clock_.now());
  std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
  if (subscribers_.empty()) return event;
  const std::string line = event_message(event);
  for (const auto& w : subscribers_) {
    if (auto s = w.lock()) s->push(line);
  }
  return event;
}

std::size_t EventBus::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(subscribers_.begin(), subscribers_.end(), [](const auto& w) { return !w.expired(); }));
}

}  // namespace lab::coordinator
