// RedisEventBus: stage 4's event stream, shared by every coordinator instance on one Redis, so an auditor
// subscribed to any instance sees what all of them did.
//
// publish() stamps `time` from the store's clock and appends the event to the Redis Stream `<prefix>events`
// (XADD MAXLEN ~ 10000) with its `seq`, taken from `<prefix>seq:event` in the same function call
// (data/redis/lab_events.lua): the payload is sealed to kind "event", id = the seq's text, version 1, so the
// number is proposed before the call and the function appends only if it is the next one (otherwise publish
// proposes again, a bounded number of times). Stream order is therefore seq order, without gaps, across instances.
//
// One reader thread per bus XREADs the stream (BLOCK 1000 ms, on a connection of its own) from the last entry it
// read and pushes every entry — this instance's and every other instance's — to this instance's subscribers, in
// stream order, each once: an event published here reaches local subscribers through the stream too, never
// directly. So that a caller sees what LocalEventBus gives it (its subscribers already hold the event when
// publish returns), publish waits, at most kDeliveryWait, until the reader has delivered it — unless no one
// subscribes here or the reader is reconnecting.
//
// A Stream, not pub/sub: pub/sub forgets a message sent while a subscriber is disconnected, so a reader that lost
// its connection in a Sentinel failover would silently miss events. A stream keeps them; the reader reconnects to
// the primary the client names now (RedisClient::primary, which follows the failover) and resumes after the last
// id it delivered, missing nothing the new primary holds. Seq numbers have no gaps, so a reader that comes back
// after more than MAXLEN events were trimmed logs how many it missed.
//
// An entry that does not open (sealed under another key, edited, or moved) is refused and logged, never pushed.
// When Redis cannot take an event past the client's failover deadline, publish logs the error and returns the
// event with "seq": 0 (it is not in the stream); it does not throw, since a request's answer must not depend on it.
// Subscribers as in LocalEventBus: subscribing one target twice delivers once; a sink that reports it is gone is
// dropped. The destructor stops the reader within one BLOCK (sooner where the ACL allows CLIENT UNBLOCK), or
// within the client's failover deadline while Redis is away.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "redis/redis_connection.h"
#include "store/event_bus.h"
#include "store/redis/redis_store_options.h"

namespace lab::store {

class RedisEventBus final : public EventBus {
 public:
  // One XREAD waits at most this long: also how long a stopping instance may wait for its reader where the ACL
  // does not allow CLIENT UNBLOCK (the lab's does not).
  static constexpr std::chrono::milliseconds kBlock{250};
  static constexpr std::chrono::milliseconds kDeliveryWait{2000};   // publish waits at most this for its delivery
  static constexpr std::size_t kStreamLength = 10000;               // MAXLEN ~

  explicit RedisEventBus(RedisStoreOptions options);
  ~RedisEventBus() override;
  RedisEventBus(const RedisEventBus&) = delete;
  RedisEventBus& operator=(const RedisEventBus&) = delete;

  void subscribe(std::shared_ptr<EventSink> subscriber) override;
  Json publish(Json event) override;
  std::size_t subscriber_count() const override;  // this instance's subscribers
  // Another instance's subscribers read the same stream: every event is written.
  bool may_have_listeners() const override { return true; }

 private:
  // Appends `event` (stamping seq and time); its seq, or 0 when Redis could not take it.
  std::uint64_t append(Json& event);
  void wait_delivered(std::uint64_t seq);
  void read_loop();
  std::unique_ptr<redis::RedisConnection> connect_reader();
  // The stream's last entry: its id and seq ("0-0" and 0 when empty); false when Redis did not answer.
  bool find_stream_end(redis::RedisConnection* connection);
  void deliver(const redis::RedisReply& xread_reply);
  void set_reading(bool reading);
  bool pause(int failures) const;  // false once stopping

  RedisStoreOptions options_;
  const std::string stream_key_;
  const std::string seq_key_;

  std::mutex publish_mutex_;        // this instance's publishers take turns: one proposal in flight at a time
  std::uint64_t next_seq_ = 1;      // the next proposal; under publish_mutex_
  std::atomic<std::uint64_t> seen_seq_{0};  // the highest seq the reader saw, a better guess after others published

  mutable std::mutex mutex_;        // subscribers_, delivered_seq_, reading_
  std::condition_variable delivered_;
  std::vector<std::shared_ptr<EventSink>> subscribers_;
  std::uint64_t delivered_seq_ = 0;
  bool reading_ = true;             // the reader is reading, or starting to; false while it reconnects

  std::string last_id_;             // the last entry read (empty: not known yet); reader thread only after start
  std::atomic<bool> stop_{false};
  std::atomic<bool> reader_done_{false};
  std::atomic<std::int64_t> reader_client_id_{-1};  // for CLIENT UNBLOCK on stop
  std::thread reader_;              // last: started once everything above exists
};

}  // namespace lab::store
