// OptimisticAdmission: how a stage whose shared control state lives in a remote store (stage 4: Redis) admits a
// request in one round trip instead of one per control. The coordinator runs the chain once with recording on:
// the remote-backed controls answer from what the instance holds (a cached session, a budget assumed to hold)
// and record what must be true and what must be written as steps. commit() then sends every step at once; the
// store checks them all and, only when all hold, applies them all. When a step does not hold, or the chain
// refused, or a control had to write something itself, nothing was written and the coordinator runs the chain
// again the ordinary way, control by control, for the exact answer (which control refused, with what).
// Recording is per thread: begin() and commit()/discard() bracket one request on the thread that handles it.
#pragma once

namespace lab::coordinator {

class OptimisticAdmission {
 public:
  virtual ~OptimisticAdmission() = default;
  // Starts recording on this thread (a request's chain runs next).
  virtual void begin() = 0;
  // Stops recording and sends the steps. True when every step held and was applied; false when the recording was
  // abandoned or a step did not hold (nothing was applied). Throws when the store cannot be reached.
  virtual bool commit() = 0;
  // Stops recording without sending anything; harmless when not recording.
  virtual void discard() noexcept = 0;
};

}  // namespace lab::coordinator
