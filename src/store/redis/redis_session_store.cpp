#include "store/redis/redis_session_store.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>

#include "core/bounded_json.h"
#include "store/redis/admission_recording.h"
#include "store/redis/value_fingerprint.h"

namespace lab::store {
namespace {

constexpr std::string_view kKind = "session";

}  // namespace

std::string RedisSessionStore::key(const std::string& id) const { return options_.prefix + "sess:" + id; }
std::string RedisSessionStore::agent_set_prefix() const { return options_.prefix + "agent-sessions:"; }

bool RedisSessionStore::write(const SessionRecord& s, std::uint64_t version, std::uint64_t expected) {
  const std::string data = options_.codec.encode(kKind, s.id, version, to_json(s).dump());
  const std::string ttl = std::to_string(options_.session_idle_ttl.count());
  const std::string v = std::to_string(version);
  const std::string set_prefix = agent_set_prefix();
  const std::string k = key(s.id);
  const std::string set = set_prefix + s.agent_id;
  auto reply = options_.client->replicated(std::vector<std::string_view>{
      "FCALL", "session_write", "2", k, set, v, s.agent_id, data, ttl, std::to_string(expected), s.id,
      set_prefix});
  if (!reply || reply->is_error()) {
    throw std::runtime_error("the session store is unavailable: " +
                             (reply ? reply->text : reply.error().message));
  }
  return reply->integer == 1;
}

bool RedisSessionStore::abandons_admission() {
  auto* recording = AdmissionRecording::on_this_thread();
  if (recording) recording->abandon();
  return recording != nullptr;
}

bool RedisSessionStore::insert(SessionRecord session) {
  if (abandons_admission()) return false;
  return write(session, 1, 0);
}

void RedisSessionStore::put(SessionRecord session) {
  if (abandons_admission()) return;
  cache_.forget(session.id);
  // A compare-and-set on the version as stored (the record may not even open): a concurrent writer wins or loses
  // whole, and this one tries again on what it finds (every round has a winner, so this ends while writers last).
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       std::chrono::steady_clock::now() < deadline;) {
    auto stored = options_.client->command({"HGET", key(session.id), "v"}, redis::Retry::kIdempotent);
    if (!stored || stored->is_error()) {
      throw std::runtime_error("the session store is unavailable: " +
                               (stored ? stored->text : stored.error().message));
    }
    const std::uint64_t current = stored->is_nil() ? 0 : static_cast<std::uint64_t>(stored->as_integer().value_or(0));
    if (write(session, current + 1, current)) return;
  }
  throw std::runtime_error("session " + session.id.substr(0, 8) + "… kept changing while it was replaced");
}

std::optional<RedisSessionStore::Stored> RedisSessionStore::read(const std::string& id) const {
  auto reply = options_.client->command({"HMGET", key(id), "v", "data", "seen"}, redis::Retry::kIdempotent);
  if (!reply || reply->kind != redis::RedisReply::Kind::kArray || reply->elements.size() != 3) {
    throw std::runtime_error("the session store is unavailable: " +
                             (reply ? reply->describe() : reply.error().message));
  }
  const auto& e = reply->elements;
  if (e[0].is_nil()) return std::nullopt;
  const auto version = e[0].as_integer();
  auto opened = version ? options_.codec.decode(kKind, id, static_cast<std::uint64_t>(*version), e[1].text)
                        : Result<std::string>(Error{ErrorCode::kInvalidField, "no version"});
  if (!opened) {
    // An edited, moved or rolled-back value: the session is not trusted, so it does not exist.
    spdlog::error("session record {}… in Redis does not open ({}); refused", id.substr(0, 8), opened.error().message);
    return std::nullopt;
  }
  auto json = parse_json_bounded(*opened, 16);
  if (json.status != JsonParseStatus::kOk) {
    spdlog::error("session record {}… in Redis is not a record; refused", id.substr(0, 8));
    return std::nullopt;
  }
  try {
    Stored out{session_from_json(json.value), static_cast<std::uint64_t>(*version), value_fingerprint(e[1].text)};
    if (const auto seen = e[2].as_integer()) out.record.last_seen_ms = std::max(out.record.last_seen_ms, *seen);
    return out;
  } catch (const std::exception& ex) {
    spdlog::error("session record {}… in Redis is malformed ({}); refused", id.substr(0, 8), ex.what());
    return std::nullopt;
  }
}

std::optional<SessionRecord> RedisSessionStore::find(const std::string& id) const {
  if (auto* recording = AdmissionRecording::on_this_thread()) return find_for_admission(id, *recording);
  auto stored = read(id);
  if (!stored) {
    cache_.forget(id);
    return std::nullopt;
  }
  cache_.put(id, {stored->record, stored->version, stored->fingerprint});
  return std::move(stored->record);
}

std::optional<SessionRecord> RedisSessionStore::find_for_admission(const std::string& id,
                                                                   AdmissionRecording& recording) const {
  auto entry = cache_.find(id);
  if (!entry) {
    auto stored = read(id);
    if (!stored) return std::nullopt;  // the chain refuses; the ordinary run says how
    entry.emplace(stored->record, stored->version, stored->fingerprint);
    cache_.put(id, {std::move(stored->record), stored->version, std::move(stored->fingerprint)});
  }
  recording.add({"unchanged", key(id), {std::to_string(entry->version), entry->fingerprint}});
  // The idle clock is the key's TTL: a key still there, unchanged (the step checks it in the same call), has
  // not been idle for a whole timeout, whatever this copy last saw; its activity is recorded by the touch step.
  entry->record.last_seen_ms = std::max(entry->record.last_seen_ms, unix_millis(options_.clock->now()));
  return std::move(entry->record);
}

bool RedisSessionStore::touch(const std::string& id, std::int64_t now_ms) {
  if (auto* recording = AdmissionRecording::on_this_thread()) {
    recording->add({"touch", key(id), {std::to_string(now_ms), std::to_string(options_.session_idle_ttl.count())}});
    return true;
  }
  auto reply = options_.client->command({"FCALL", "session_touch", "1", key(id), std::to_string(now_ms),
                                         std::to_string(options_.session_idle_ttl.count())},
                                        redis::Retry::kIdempotent);
  return reply && reply->integer == 1;
}

bool RedisSessionStore::erase(const std::string& id) {
  if (abandons_admission()) return false;
  cache_.forget(id);
  auto agent = options_.client->command({"HGET", key(id), "agent"}, redis::Retry::kIdempotent);
  if (!agent || agent->is_nil()) return false;
  auto reply = options_.client->replicated(std::vector<std::string_view>{
      "FCALL", "session_erase", "2", key(id), agent_set_prefix() + agent->text, id}, redis::Retry::kIdempotent);
  return reply && reply->integer == 1;
}

std::vector<std::string> RedisSessionStore::ids() const {
  std::vector<std::string> out;
  const std::string prefix = key("");
  std::string cursor = "0";
  // SCAN visits every key present for the whole walk at least once; duplicates are dropped below.
  do {
    auto reply = options_.client->command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"},
                                          redis::Retry::kIdempotent);
    if (!reply || reply->kind != redis::RedisReply::Kind::kArray || reply->elements.size() != 2) break;
    cursor = reply->elements[0].text;
    for (const auto& k : reply->elements[1].elements) out.push_back(k.text.substr(prefix.size()));
  } while (cursor != "0");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t RedisSessionStore::erase_if(const std::function<bool(const SessionRecord&)>& expired) {
  if (abandons_admission()) return 0;
  std::size_t n = 0;
  for (const auto& id : ids()) {
    const auto s = find(id);
    if (s && expired(*s) && erase(id)) ++n;
  }
  return n;
}

std::size_t RedisSessionStore::set_role_of_agent(const std::string& agent_id, Role role) {
  if (abandons_admission()) return 0;
  std::size_t changed = 0;
  for (const auto& id : member_ids(agent_id)) {
    cache_.forget(id);
    // Compare-and-set on the record's version: a concurrent change of the same session wins or loses whole.
    for (int attempt = 0; attempt < 8; ++attempt) {
      auto stored = read(id);
      if (!stored || stored->record.agent_id != agent_id) break;
      stored->record.role = role;
      const std::uint64_t next = stored->version + 1;
      const std::string data = options_.codec.encode(kKind, id, next, to_json(stored->record).dump());
      auto reply = options_.client->replicated(std::vector<std::string_view>{
          "FCALL", "session_cas", "1", key(id), std::to_string(stored->version), std::to_string(next), data});
      if (reply && reply->integer == 1) {
        ++changed;
        break;
      }
    }
  }
  return changed;
}

std::vector<std::string> RedisSessionStore::member_ids(const std::string& agent_id) const {
  auto reply = options_.client->command({"SMEMBERS", agent_set_prefix() + agent_id}, redis::Retry::kIdempotent);
  std::vector<std::string> out;
  if (!reply || reply->kind != redis::RedisReply::Kind::kArray) return out;
  for (const auto& e : reply->elements) out.push_back(e.text);
  return out;
}

std::vector<SessionRecord> RedisSessionStore::sessions_of_agent(const std::string& agent_id) const {
  std::vector<SessionRecord> out;
  for (const auto& id : member_ids(agent_id)) {
    if (auto s = find(id); s && s->agent_id == agent_id) {
      out.push_back(std::move(*s));
    } else if (!s) {
      // Expired by its TTL (or refused): the set forgets it too.
      (void)options_.client->command({"SREM", agent_set_prefix() + agent_id, id}, redis::Retry::kIdempotent);
    }
  }
  return out;
}

std::vector<SessionRecord> RedisSessionStore::all() const {
  std::vector<SessionRecord> out;
  for (const auto& id : ids()) {
    if (auto s = find(id)) out.push_back(std::move(*s));
  }
  return out;
}

std::size_t RedisSessionStore::size() const { return ids().size(); }

}  // namespace lab::store
