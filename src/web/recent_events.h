// RecentEvents: the last events of the coordinator's bus, kept for the admin panel (who signed in, what was
// refused and by which code, who changed what), bounded in count. Peer text in them stays JSON: the page writes
// it as text.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include "core/domain.h"
#include "store/event_sink.h"

namespace lab::web {

class RecentEvents final : public store::EventSink {
 public:
  explicit RecentEvents(std::size_t capacity = 200) : capacity_(capacity) {}
  bool push(std::string_view event_json) override;
  const void* target() const override { return this; }
  // Newest first.
  Json newest_first() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::string> events_;
};

}  // namespace lab::web
