// EventStream: the events one server-sent-events response is still to write. Any thread may push a framed event;
// the connection that owns the response takes them in order. Bounded: a client that reads too slowly is dropped
// (the stream closes) rather than let its backlog grow without end.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lab::web {

class EventStream {
 public:
  explicit EventStream(std::size_t max_queued_bytes = 256 * 1024) : max_queued_bytes_(max_queued_bytes) {}

  // Queues one framed event ("event: …\ndata: …\n\n"); false once the stream is closed (and then it stays so).
  bool push(std::string framed_event);
  // Ends the stream: the connection writes what is queued, then finishes the response.
  void close();

  // The connection's side. `wake` is called (from any thread) after a push or a close.
  void on_ready(std::function<void()> wake);
  // Everything queued, oldest first.
  std::vector<std::string> take();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t max_queued_bytes_;
  bool closed_ = false;
  std::function<void()> wake_;
};

// "event: KIND\ndata: JSON\n\n" (a JSON text never holds a raw newline).
std::string frame_event(std::string_view kind, std::string_view json);

}  // namespace lab::web
