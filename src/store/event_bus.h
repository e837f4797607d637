// EventBus: the coordinator's event stream. Every published event gets a
// sequence number and a timestamp and is pushed to every subscriber.
// Thread safety: every implementation may be called concurrently.
#pragma once

#include <cstddef>
#include <memory>

#include "core/domain.h"
#include "store/event_sink.h"

namespace lab::store {

class EventBus {
 public:
  virtual ~EventBus() = default;
  // Subscribing twice to the same target delivers each event once.
  virtual void subscribe(std::shared_ptr<EventSink> subscriber) = 0;
  // Adds "seq" and "time" to `event`, pushes it, and returns the final event.
  virtual Json publish(Json event) = 0;
  virtual std::size_t subscriber_count() const = 0;
  // Whether an event published now may reach anyone: a subscriber here, or, on a bus shared by several
  // coordinator instances, one on another instance. Publishers skip building events when it is false.
  virtual bool may_have_listeners() const { return subscriber_count() > 0; }
};

}  // namespace lab::store
