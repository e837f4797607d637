// EventSink: where a subscriber's events go. The event bus
// serializes each event once; a front frames it for its transport (a JSON line
// on the TCP front; later an SSE frame on HTTPS) and delivers it.
#pragma once

#include <string_view>

namespace lab::store {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // `event_json` is the event as compact JSON. False once the subscriber is gone.
  virtual bool push(std::string_view event_json) = 0;
  // What the sink delivers to (one connection): subscribing twice to the same target delivers once.
  virtual const void* target() const = 0;
};

}  // namespace lab::store
