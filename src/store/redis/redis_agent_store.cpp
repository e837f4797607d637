#include "store/redis/redis_agent_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

#include "core/bounded_json.h"
#include "store/redis/admission_recording.h"
#include "store/redis/value_fingerprint.h"

namespace lab::store {
namespace {

using redis::RedisReply;

constexpr std::string_view kKind = "agent";
constexpr std::size_t kReadChunk = 256;  // agents read per pipelined round trip
// How long a change keeps deciding again while other instances keep winning the compare-and-set. Time, not a
// count: the loser retries at once with the record the failed write returned, so it is rarely more than a few.
constexpr auto kChangeDeadline = std::chrono::seconds(2);

[[noreturn]] void unavailable(std::string_view what, const std::string& detail) {
  throw std::runtime_error("the agent store is unavailable (" + std::string(what) + "): " + detail);
}

// An array reply of at least `n` elements; throws when Redis could not be reached or answered otherwise.
RedisReply checked_array(Result<RedisReply> reply, std::string_view what, std::size_t n) {
  if (!reply) unavailable(what, reply.error().message);
  if (reply->kind != RedisReply::Kind::kArray || reply->elements.size() < n) unavailable(what, reply->describe());
  return std::move(*reply);
}

// A record's version: a positive number, as its hash field holds it.
std::optional<std::uint64_t> version_of(const RedisReply& r) {
  const auto v = r.kind == RedisReply::Kind::kString ? r.as_integer() : std::nullopt;
  if (!v || *v <= 0) return std::nullopt;
  return static_cast<std::uint64_t>(*v);
}

std::string text_of(const AgentInfo& a) { return to_json(a).dump(-1, ' ', false, Json::error_handler_t::replace); }

std::vector<Specialty> distinct(const std::vector<Specialty>& specialties) {
  std::vector<Specialty> out;  // in the order first given
  for (Specialty s : specialties) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

}  // namespace

RedisAgentStore::Stored RedisAgentStore::open(const std::string& id, const RedisReply& v,
                                              const RedisReply& data) const {
  if (v.is_nil()) return {};
  const auto version = version_of(v);
  Stored out{version.value_or(0), std::nullopt, v.text};
  if (!version || data.kind != RedisReply::Kind::kString) {
    spdlog::error("agent {} in Redis has no valid version or value; refused", id);
    return out;
  }
  auto opened = options_.codec.decode(kKind, id, *version, data.text);
  if (!opened) {
    // Edited, moved from another key, an older copy put back, or sealed under a key this process lacks.
    spdlog::error("agent {} in Redis does not open ({}); refused", id, opened.error().message);
    return out;
  }
  auto json = parse_json_bounded(*opened, 8);
  try {
    if (json.status != JsonParseStatus::kOk) throw std::invalid_argument("not JSON");
    AgentInfo agent = agent_from_json(json.value);
    if (agent.id != id) throw std::invalid_argument("it names " + agent.id);
    out.agent = std::move(agent);
  } catch (const std::exception& e) {
    spdlog::error("agent {} in Redis is malformed ({}); refused", id, e.what());
  }
  return out;
}

AgentInfo RedisAgentStore::change(const std::string& id, const std::function<void(AgentInfo&)>& change,
                                  bool replicated) {
  if (auto* recording = AdmissionRecording::on_this_thread()) {
    recording->abandon();  // written when the request runs again the ordinary way
    return AgentInfo{id, Role::kWorker, {}};
  }
  cache_.forget(id);
  const std::string key = agent_key(id);
  const std::string agents = options_.prefix + "agents";
  const auto read = checked_array(options_.client->command({"HMGET", key, "v", "data"}, redis::Retry::kIdempotent),
                                  "HMGET", 2);
  Stored stored = open(id, read.elements[0], read.elements[1]);
  for (const auto deadline = std::chrono::steady_clock::now() + kChangeDeadline;
       std::chrono::steady_clock::now() < deadline;) {
    AgentInfo agent = stored.agent.value_or(AgentInfo{id, Role::kWorker, {}});
    change(agent);
    const std::string next = std::to_string(stored.version + 1);
    const std::string data = options_.codec.encode(kKind, id, stored.version + 1, text_of(agent));
    const std::vector<std::string_view> put{"FCALL", "agent_put", "2", key, agents, stored.v_text, next, data, id};
    auto reply = replicated ? options_.client->replicated(put) : options_.client->command(put);
    const auto written = checked_array(std::move(reply), "agent_put", 1);
    if (written.elements[0].integer == 1) return agent;
    if (written.elements.size() != 3) unavailable("agent_put", written.describe());
    stored = open(id, written.elements[1], written.elements[2]);
  }
  throw std::runtime_error("agent " + id + " kept changing while its change was decided");
}

void RedisAgentStore::set_role(const std::string& agent_id, Role role) {
  change(agent_id, [role](AgentInfo& a) { a.role = role; }, /*replicated=*/true);
}

Role RedisAgentStore::role_or_create(const std::string& agent_id, Role initial) {
  if (auto* recording = AdmissionRecording::on_this_thread()) {
    recording->abandon();  // written when the request runs again the ordinary way
    return initial;
  }
  const std::string data = options_.codec.encode(kKind, agent_id, 1, text_of(AgentInfo{agent_id, initial, {}}));
  // Create-if-absent in one call; sent twice it finds what the first made, so it may be retried.
  const auto reply = checked_array(
      options_.client->command({"FCALL", "agent_put", "2", agent_key(agent_id), options_.prefix + "agents", "0", "1",
                                data, agent_id},
                               redis::Retry::kIdempotent),
      "agent_put", 1);
  if (reply.elements[0].integer == 1 || reply.elements.size() != 3) return initial;
  const Stored stored = open(agent_id, reply.elements[1], reply.elements[2]);
  return stored.agent ? stored.agent->role : initial;  // a refused record is an unknown agent, kept as evidence
}

AgentInfo RedisAgentStore::set_specialties(const std::string& agent_id, std::vector<Specialty> specialties) {
  const auto kept = distinct(specialties);
  return change(agent_id, [&kept](AgentInfo& a) { a.specialties = kept; }, /*replicated=*/false);
}

std::optional<AgentInfo> RedisAgentStore::find(const std::string& agent_id) const {
  auto* recording = AdmissionRecording::on_this_thread();
  if (recording) {
    if (auto entry = cache_.find(agent_id)) {
      recording->add({"unchanged", agent_key(agent_id), {std::to_string(entry->version), entry->fingerprint}});
      return std::move(entry->record);
    }
  }
  const auto r = checked_array(
      options_.client->command({"HMGET", agent_key(agent_id), "v", "data"}, redis::Retry::kIdempotent), "HMGET", 2);
  const Stored stored = open(agent_id, r.elements[0], r.elements[1]);
  if (!stored.agent) {
    cache_.forget(agent_id);
    return std::nullopt;
  }
  std::string fingerprint = value_fingerprint(r.elements[1].text);
  if (recording) recording->add({"unchanged", agent_key(agent_id), {stored.v_text, fingerprint}});
  cache_.put(agent_id, {*stored.agent, stored.version, std::move(fingerprint)});
  return stored.agent;
}

std::vector<AgentInfo> RedisAgentStore::list() const {
  const auto ids = checked_array(
      options_.client->command({"ZRANGE", options_.prefix + "agents", "0", "-1"}, redis::Retry::kIdempotent),
      "ZRANGE", 0);
  std::vector<AgentInfo> out;
  const auto& e = ids.elements;
  for (std::size_t from = 0; from < e.size(); from += kReadChunk) {
    const std::size_t to = std::min(e.size(), from + kReadChunk);
    std::vector<redis::RedisCommand> reads;
    for (std::size_t i = from; i < to; ++i) reads.push_back({"HMGET", agent_key(e[i].text), "v", "data"});
    auto replies = options_.client->pipeline(reads, redis::Retry::kIdempotent);
    if (!replies || replies->size() != reads.size()) unavailable("HMGET", replies ? "short" : replies.error().message);
    for (std::size_t i = from; i < to; ++i) {
      const auto& r = (*replies)[i - from];
      if (r.kind != RedisReply::Kind::kArray || r.elements.size() != 2) unavailable("HMGET", r.describe());
      if (auto a = open(e[i].text, r.elements[0], r.elements[1]).agent) out.push_back(std::move(*a));
    }
  }
  return out;  // the sorted set lists ids in byte order, as std::string compares them
}

}  // namespace lab::store
