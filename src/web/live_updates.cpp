#include "web/live_updates.h"

#include "core/domain.h"

namespace lab::web {

std::shared_ptr<EventStream> LiveUpdates::open(const std::string& project_id, const std::string& session) {
  auto stream = std::make_shared<EventStream>();
  std::lock_guard lock(mutex_);
  streams_[project_id].push_back(Reader{stream, session});
  return stream;
}

void LiveUpdates::close_session(const std::string& session) {
  std::vector<std::shared_ptr<EventStream>> ending;
  {
    std::lock_guard lock(mutex_);
    for (auto& [project, readers] : streams_) {
      for (const auto& r : readers) {
        if (r.session != session) continue;
        if (auto stream = r.stream.lock()) ending.push_back(std::move(stream));
      }
    }
  }
  for (const auto& stream : ending) stream->close();
}

std::size_t LiveUpdates::open_streams() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [project, streams] : streams_) {
    for (const auto& r : streams) n += r.stream.expired() ? 0 : 1;
  }
  return n;
}

bool LiveUpdates::push(std::string_view event_json) {
  if (event_json.find("\"task_") == std::string_view::npos) return true;  // not a task event: nothing to parse
  const Json event = Json::parse(event_json, nullptr, false);
  if (!event.is_object()) return true;
  const std::string kind = event.value("kind", "");
  if (kind != "task_created" && kind != "task_claimed" && kind != "task_status_changed") return true;
  const Json& data = event.contains("data") ? event["data"] : Json::object();
  const std::string project = data.value("project_id", "");
  if (project.empty()) return true;
  Json trimmed{{"kind", kind}, {"project_id", project}, {"seq", event.value("seq", 0)}};
  for (const char* field : {"task_id", "status", "assignee", "version", "specialty"}) {
    if (data.contains(field)) trimmed[field] = data[field];
  }
  const std::string framed = frame_event("task", trimmed.dump());
  std::vector<std::shared_ptr<EventStream>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(project);
    if (it == streams_.end()) return true;
    std::erase_if(it->second, [&](const Reader& reader) {
      auto stream = reader.stream.lock();
      if (!stream || stream->closed()) return true;
      targets.push_back(std::move(stream));
      return false;
    });
    if (it->second.empty()) streams_.erase(it);
  }
  for (const auto& stream : targets) stream->push(framed);
  return true;
}

}  // namespace lab::web
