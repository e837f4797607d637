// LiveUpdates: the bridge from the coordinator's event bus to the dashboard's event streams. It subscribes once,
// reads each task event once, and sends a trimmed copy — the task, its state, its assignee, its version; never the
// peer's address or a session — to every stream open on that task's project. Streams that closed are dropped as
// events find them gone.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/event_sink.h"
#include "web/event_stream.h"

namespace lab::web {

class LiveUpdates final : public store::EventSink {
 public:
  // A new stream of project `project_id`'s task events for a reader of `session`.
  std::shared_ptr<EventStream> open(const std::string& project_id, const std::string& session);
  // Ends the streams of `session` (it was signed out, revoked, ...): a stream is no longer than its session.
  void close_session(const std::string& session);
  // Streams still open.
  std::size_t open_streams() const;

  bool push(std::string_view event_json) override;
  const void* target() const override { return this; }

 private:
  mutable std::mutex mutex_;
  struct Reader {
    std::weak_ptr<EventStream> stream;
    std::string session;
  };
  std::unordered_map<std::string, std::vector<Reader>> streams_;  // by project
};

}  // namespace lab::web
