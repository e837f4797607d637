#include "web/recent_events.h"

namespace lab::web {

bool RecentEvents::push(std::string_view event_json) {
  std::lock_guard lock(mutex_);
  events_.emplace_back(event_json);
  while (events_.size() > capacity_) events_.pop_front();
  return true;
}

Json RecentEvents::newest_first() const {
  std::deque<std::string> copy;
  {
    std::lock_guard lock(mutex_);
    copy = events_;
  }
  Json out = Json::array();
  for (auto it = copy.rbegin(); it != copy.rend(); ++it) {
    Json event = Json::parse(*it, nullptr, false);
    if (event.is_discarded()) continue;
    out.push_back(Json{{"seq", event.value("seq", 0)},
                       {"time", event.value("time", Json())},
                       {"kind", event.value("kind", "")},
                       {"agent_id", event.value("agent_id", "")},
                       {"peer_address", event.value("peer_address", "")},
                       {"data", event.value("data", Json::object())}});
  }
  return out;
}

}  // namespace lab::web
