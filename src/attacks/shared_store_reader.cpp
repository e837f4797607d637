#include "attacks/shared_store_reader.h"

namespace lab::attacks {
namespace {

Error refused_by_redis(const redis::RedisReply& reply) { return Error{ErrorCode::kPermissionDenied, reply.text}; }

// The command that lists a key's content for its type; empty for a type this reader does not open.
redis::RedisCommand content_command(const std::string& type, const std::string& key) {
  if (type == "string") return {"GET", key};
  if (type == "hash") return {"HGETALL", key};
  if (type == "set") return {"SMEMBERS", key};
  if (type == "zset") return {"ZRANGE", key, "0", "-1"};
  if (type == "list") return {"LRANGE", key, "0", "-1"};
  if (type == "stream") return {"XRANGE", key, "-", "+", "COUNT", "500"};
  return {};
}

void collect(const std::string& key, const std::string& type, const redis::RedisReply& reply,
             std::vector<StoredValue>& out) {
  using Kind = redis::RedisReply::Kind;
  if (reply.kind == Kind::kString || reply.kind == Kind::kStatus) {
    out.push_back({key, type, "", reply.text});
    return;
  }
  if (reply.kind != Kind::kArray) return;
  if (type == "hash") {
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
      out.push_back({key, type, reply.elements[i].text, reply.elements[i + 1].text});
    }
    return;
  }
  if (type == "stream") {  // [[id, [field, value, ...]], ...]
    for (const auto& entry : reply.elements) {
      if (entry.elements.size() < 2) continue;
      const auto& fields = entry.elements[1].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        out.push_back({key, type, entry.elements[0].text + " " + fields[i].text, fields[i + 1].text});
      }
    }
    return;
  }
  for (const auto& element : reply.elements) out.push_back({key, type, "", element.text});
}

}  // namespace

Result<std::vector<StoredValue>> read_every_value(redis::RedisConnection& redis, const std::string& prefix,
                                                  std::size_t max_keys) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto page = redis.command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "500"});
    if (!page) return page.error();
    if (page->is_error()) return refused_by_redis(*page);
    if (page->elements.size() != 2) return Error{ErrorCode::kInternalError, "SCAN answered " + page->describe()};
    cursor = page->elements[0].text;
    for (const auto& k : page->elements[1].elements) keys.push_back(k.text);
  } while (cursor != "0" && keys.size() < max_keys);

  std::vector<StoredValue> values;
  for (const auto& key : keys) {
    auto type = redis.command({"TYPE", key});
    if (!type) return type.error();
    if (type->is_error()) return refused_by_redis(*type);
    const auto command = content_command(type->text, key);
    if (command.empty()) continue;
    auto content = redis.pipeline(std::span<const redis::RedisCommand>(&command, 1));
    if (!content) return content.error();
    if (content->front().is_error()) return refused_by_redis(content->front());
    collect(key, type->text, content->front(), values);
  }
  return values;
}

std::vector<StoredValue> values_containing(const std::vector<StoredValue>& values, const std::string& needle) {
  std::vector<StoredValue> hits;
  for (const auto& v : values) {
    if (v.value.find(needle) != std::string::npos || v.key.find(needle) != std::string::npos) hits.push_back(v);
  }
  return hits;
}

}  // namespace lab::attacks
