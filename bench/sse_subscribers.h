// Live dashboard subscribers held at once: N event streams of one project opened over HTTPS (one io thread,
// coroutines), each read until its snapshot; then one task event is caused and every stream is read until it
// arrives or the wait runs out. Loopback only, bounded in count and time.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/result.h"

namespace lab::bench {

struct SubscriberRun {
  int requested = 0;
  int held = 0;       // streams open with their snapshot read
  int received = 0;   // of those, streams that received the task event
  double open_seconds = 0;     // opening them all
  double deliver_seconds = 0;  // from the event being caused to the last stream receiving it
};

struct SubscriberTarget {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string ca_file;
  std::string path;           // "/api/projects/P/events"
  std::string cookie_header;  // the signed-in reader's cookies
};

// Opens `count` streams of `target`, calls `cause_event` once they are open (or the opening time ran out), and
// waits up to `wait` for the event on every stream.
Result<SubscriberRun> hold_subscribers(const SubscriberTarget& target, int count,
                                       const std::function<Status()>& cause_event, std::chrono::seconds wait);

// Raises this process's open-file limit to its hard limit (streams need a descriptor each, on both sides; the
// server started afterwards inherits it).
void raise_open_file_limit();

}  // namespace lab::bench
