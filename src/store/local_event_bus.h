// LocalEventBus: the event stream of one process. Events reach the
// subscribers of this process only (stage 4 needs a shared one).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "store/event_bus.h"

namespace lab::store {

class LocalEventBus final : public EventBus {
 public:
  explicit LocalEventBus(const Clock& clock = system_clock()) : clock_(clock) {}

  void subscribe(std::shared_ptr<EventSink> subscriber) override;
  Json publish(Json event) override;
  std::size_t subscriber_count() const override;

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::vector<std::shared_ptr<EventSink>> subscribers_;
};

}  // namespace lab::store
