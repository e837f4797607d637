#include "web/event_stream.h"

namespace lab::web {

bool EventStream::push(std::string framed_event) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    if (queued_bytes_ + framed_event.size() > max_queued_bytes_) {
      closed_ = true;  // too slow a reader: it loses the stream, the server keeps its memory
    } else {
      queued_bytes_ += framed_event.size();
      queue_.push_back(std::move(framed_event));
    }
    wake = wake_;
  }
  if (wake) wake();
  return true;
}

void EventStream::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

void EventStream::on_ready(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::vector<std::string> EventStream::take() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  queued_bytes_ = 0;
  return out;
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::string frame_event(std::string_view kind, std::string_view json) {
  std::string out;
  out.reserve(kind.size() + json.size() + 16);
  out.append("event: ").append(kind).append("\ndata: ").append(json).append("\n\n");
  return out;
}

}  // namespace lab::web
