#include "store/redis/redis_event_bus.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "core/bounded_json.h"

namespace lab::store {
namespace {

using redis::RedisReply;

constexpr int kMaxAppendAttempts = 32;  // proposals per event before giving up (other instances kept winning)
constexpr std::string_view kReadCount = "512";  // entries per XREAD

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// The value of `field` in an entry's flat [field, value, ...] list; nullptr when absent.
const std::string* field(const RedisReply& fields, std::string_view name) {
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].text == name) return &fields.elements[i + 1].text;
  }
  return nullptr;
}

}  // namespace

RedisEventBus::RedisEventBus(RedisStoreOptions options)
    : options_(std::move(options)), stream_key_(options_.prefix + "events"), seq_key_(options_.prefix + "seq:event") {
  // Start after the stream's current end, found now: an event published right after construction is delivered.
  if (!find_stream_end(nullptr)) spdlog::warn("event stream {}: end not known yet; the reader will look", stream_key_);
  next_seq_ = seen_seq_.load() + 1;
  // The reader logs; the logger is made here, before the thread starts, not by the first of several readers at once.
  (void)spdlog::default_logger_raw();
  reader_ = std::thread([this] { read_loop(); });
}

RedisEventBus::~RedisEventBus() {
  stop_ = true;
  delivered_.notify_all();
  // Wakes the reader out of its XREAD where the ACL allows CLIENT UNBLOCK (it may not be blocked yet: tried again
  // until it was); otherwise the reader returns within one BLOCK by itself.
  bool can_unblock = true;
  const auto deadline = std::chrono::steady_clock::now() + kBlock;
  while (can_unblock && !reader_done_ && std::chrono::steady_clock::now() < deadline) {
    bool reading = false;
    {
      std::lock_guard lock(mutex_);
      reading = reading_;
    }
    if (const auto id = reader_client_id_.load(); reading && id >= 0) {
      auto unblocked = options_.client->command({"CLIENT", "UNBLOCK", std::to_string(id)});
      if (!unblocked || unblocked->is_error()) can_unblock = false;
      if (unblocked && unblocked->integer == 1) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reader_.join();
}

void RedisEventBus::subscribe(std::shared_ptr<EventSink> subscriber) {
  std::lock_guard lock(mutex_);
  for (const auto& s : subscribers_) {
    if (s->target() == subscriber->target()) return;  // already subscribed: one copy of each event
  }
  subscribers_.push_back(std::move(subscriber));
}

std::size_t RedisEventBus::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

Json RedisEventBus::publish(Json event) {
  const std::uint64_t seq = append(event);
  if (seq != 0) wait_delivered(seq);
  return event;
}

std::uint64_t RedisEventBus::append(Json& event) {
  std::lock_guard lock(publish_mutex_);
  for (int attempt = 0; attempt < kMaxAppendAttempts; ++attempt) {
    // First the best guess (another instance may have published since); after a refusal, what Redis said.
    const std::uint64_t proposed = attempt == 0 ? std::max(next_seq_, seen_seq_.load() + 1) : next_seq_;
    const std::string seq = std::to_string(proposed);
    event["seq"] = proposed;
    event["time"] = iso8601(options_.clock->now());
    const std::string text = event.dump(-1, ' ', false, Json::error_handler_t::replace);
    // Not retried once sent: appended twice, an event would reach every subscriber twice.
    const std::string sealed = options_.codec.encode("event", seq, 1, text);
    auto reply = options_.client->command(
        {"FCALL", "event_append", "2", seq_key_, stream_key_, seq, std::to_string(kStreamLength), sealed});
    if (!reply || reply->kind != RedisReply::Kind::kArray || reply->elements.size() != 2) {
      spdlog::error("event {} was not published to {}: {}", seq, stream_key_,
                    reply ? reply->describe() : reply.error().message);
      break;
    }
    if (reply->elements[0].integer == 1) {
      next_seq_ = proposed + 1;
      return proposed;
    }
    next_seq_ = static_cast<std::uint64_t>(reply->elements[1].integer) + 1;  // another instance took it
  }
  spdlog::error("an event could not be published to {}; its subscribers will not see it", stream_key_);
  event["seq"] = 0;
  return 0;
}

void RedisEventBus::wait_delivered(std::uint64_t seq) {
  // A subscriber publishing from inside its push runs on the reader: its event follows in the stream.
  if (std::this_thread::get_id() == reader_.get_id()) return;
  std::unique_lock lock(mutex_);
  if (subscribers_.empty()) return;
  delivered_.wait_for(lock, kDeliveryWait, [&] { return delivered_seq_ >= seq || !reading_ || stop_; });
}

void RedisEventBus::set_reading(bool reading) {
  {
    std::lock_guard lock(mutex_);
    reading_ = reading;
  }
  delivered_.notify_all();
}

bool RedisEventBus::pause(int failures) const {
  const auto wait = std::chrono::milliseconds(std::min(50 << std::min(failures, 5), 1000));
  for (auto waited = std::chrono::milliseconds(0); waited < wait && !stop_; waited += std::chrono::milliseconds(50)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return !stop_;
}

bool RedisEventBus::find_stream_end(redis::RedisConnection* connection) {
  const std::initializer_list<std::string_view> newest{"XREVRANGE", stream_key_, "+", "-", "COUNT", "1"};
  auto reply = connection ? connection->command(newest) : options_.client->command(newest, redis::Retry::kIdempotent);
  if (!reply || reply->kind != RedisReply::Kind::kArray) return false;
  std::uint64_t seq = 0;
  std::string last = "0-0";
  if (!reply->elements.empty()) {
    const auto& entry = reply->elements.front();
    if (entry.elements.size() != 2) return false;
    last = entry.elements[0].text;
    if (const auto* s = field(entry.elements[1], "seq")) seq = number(*s).value_or(0);
  }
  last_id_ = std::move(last);
  seen_seq_ = std::max(seen_seq_.load(), seq);
  std::lock_guard lock(mutex_);
  delivered_seq_ = std::max(delivered_seq_, seq);
  return true;
}

std::unique_ptr<redis::RedisConnection> RedisEventBus::connect_reader() {
  const auto& client = options_.client->options();
  auto primary = options_.client->primary();
  if (!primary) return nullptr;
  redis::RedisConnectionOptions o{.endpoint = *primary, .credentials = client.credentials, .tls = client.tls,
                                  .timeout = client.timeout + kBlock};
  auto connection = redis::RedisConnection::open(o);
  if (!connection) {
    // The primary the client knows may be gone: a command through the client asks the Sentinels again.
    spdlog::warn("event stream reader: {}; looking for the primary", connection.error().message);
    (void)options_.client->command({"PING"}, redis::Retry::kIdempotent);
    return nullptr;
  }
  if (last_id_.empty() && !find_stream_end(connection->get())) return nullptr;
  auto id = (*connection)->command({"CLIENT", "ID"});
  reader_client_id_ = id && id->kind == RedisReply::Kind::kInteger ? id->integer : -1;
  return std::move(*connection);
}

void RedisEventBus::read_loop() {
  std::unique_ptr<redis::RedisConnection> connection;
  int failures = 0;
  const std::string block = std::to_string(kBlock.count());
  while (!stop_) {
    if (!connection) {
      connection = connect_reader();
      if (!connection) {
        set_reading(false);
        if (!pause(failures++)) break;
        continue;
      }
      failures = 0;
      set_reading(true);
    }
    auto reply = connection->command(
        {"XREAD", "COUNT", kReadCount, "BLOCK", block, "STREAMS", stream_key_, last_id_});
    if (!reply || reply->is_error() || connection->broken()) {
      // Resumes after last_id_ on whatever node is primary by then: nothing the stream still holds is missed.
      if (!stop_) spdlog::warn("event stream reader: {}; reconnecting", reply ? reply->text : reply.error().message);
      set_reading(false);
      connection.reset();
      if (!pause(failures++)) break;
      continue;
    }
    if (reply->kind == RedisReply::Kind::kArray) deliver(*reply);
  }
  set_reading(false);
  reader_done_ = true;
}

void RedisEventBus::deliver(const RedisReply& xread_reply) {
  for (const auto& stream : xread_reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const auto& entry : stream.elements[1].elements) {
      if (entry.elements.size() != 2) continue;
      last_id_ = entry.elements[0].text;
      const std::string* seq_text = field(entry.elements[1], "seq");
      const std::string* data = field(entry.elements[1], "data");
      const auto seq = seq_text ? number(*seq_text) : std::nullopt;
      std::string text;
      if (seq && data) {
        auto opened = options_.codec.decode("event", *seq_text, 1, *data);
        auto json = opened ? parse_json_bounded(*opened) : BoundedJson{};
        const auto stamped = json.value.is_object() ? json.value.find("seq") : json.value.end();
        if (json.status == JsonParseStatus::kOk && stamped != json.value.end() && stamped->is_number_unsigned() &&
            stamped->get<std::uint64_t>() == *seq) {
          text = json.value.dump(-1, ' ', false, Json::error_handler_t::replace);  // one line, whatever was stored
        }
      }
      if (text.empty()) spdlog::error("event stream entry {} does not open; refused", last_id_);
      if (seq) seen_seq_ = std::max(seen_seq_.load(), *seq);
      std::lock_guard lock(mutex_);
      if (seq && delivered_seq_ != 0 && *seq > delivered_seq_ + 1) {
        spdlog::warn("event stream {}: events {} to {} were trimmed before this instance read them", stream_key_,
                     delivered_seq_ + 1, *seq - 1);
      }
      // Pushed under the lock, as LocalEventBus does: every subscriber sees events in stream order.
      if (!text.empty()) std::erase_if(subscribers_, [&](const auto& s) { return !s->push(text); });
      if (seq) delivered_seq_ = std::max(delivered_seq_, *seq);
    }
  }
  delivered_.notify_all();
}

}  // namespace lab::store
