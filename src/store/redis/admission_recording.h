// AdmissionRecording: the steps of the request this thread is admitting optimistically (stage 4; see
// coordinator/optimistic_admission.h and the `admit` function of data/redis/lab_sessions.lua). While one is open
// on a thread, the Redis-backed controls do not call Redis on that thread: a budget to take, a nonce to remember
// and a session to touch become steps, and a record served from an instance's cache becomes a step that checks
// Redis still holds it unchanged. A store asked to write anything else abandons the recording instead: the request then runs again
// the ordinary way, and the write happens there. One recording per thread at a time; never shared between threads.
#pragma once

#include <string>
#include <vector>

namespace lab::store {

struct AdmissionStep {
  std::string kind;  // "bucket", "nonce", "unchanged" or "touch"
  std::string key;
  std::vector<std::string> args;
};

class AdmissionRecording {
 public:
  // The recording open on this thread, or null: the stores then call Redis as usual.
  static AdmissionRecording* on_this_thread();

  // Opens a recording on this thread (replacing any left open) and closes it again, returning its steps.
  static void open();
  static AdmissionRecording close();

  void add(AdmissionStep step) { steps_.push_back(std::move(step)); }
  // The optimistic run cannot stand (a store had to write): it will be run again the ordinary way.
  void abandon() { abandoned_ = true; }
  bool abandoned() const { return abandoned_; }
  const std::vector<AdmissionStep>& steps() const { return steps_; }

 private:
  std::vector<AdmissionStep> steps_;
  bool abandoned_ = false;
};

}  // namespace lab::store
