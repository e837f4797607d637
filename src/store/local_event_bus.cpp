#include "store/local_event_bus.h"

#include <algorithm>


namespace lab::store {

void LocalEventBus::subscribe(std::shared_ptr<EventSink> subscriber) {
  std::lock_guard lock(mutex_);
  for (const auto& s : subscribers_) {
    if (s->target() == subscriber->target()) return;  // already subscribed: one copy of each event
  }
  subscribers_.push_back(std::move(subscriber));
}

Json LocalEventBus::publish(Json event) {
  // Pushing only hands the text to each subscriber's front (which posts it to
  // its connection), so it happens under the lock: every subscriber sees
  // events in seq order.
  std::lock_guard lock(mutex_);
  event["seq"] = next_seq_++;
  event["time"] = iso8601(clock_.now());
  if (subscribers_.empty()) return event;
  const std::string text = event.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::erase_if(subscribers_, [&](const auto& s) { return !s->push(text); });
  return event;
}

std::size_t LocalEventBus::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace lab::store
