#include "redis/redis_connection.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <cstdlib>

#include "core/json_fields.h"  // LAB_ASSIGN_OR_RETURN
#include "net/line_client.h"

namespace lab::redis {
namespace {

// A reply of hiredis' reader, owned.
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.kind = RedisReply::Kind::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.kind = RedisReply::Kind::kStatus;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = RedisReply::Kind::kError;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::kArray;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.kind = RedisReply::Kind::kNil;
  }
  return out;
}

// One command in RESP, framed by hiredis.
Status append_command(std::string& out, std::span<const std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* formatted = nullptr;
  const int n = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (n < 0 || formatted == nullptr) return Error{ErrorCode::kInternalError, "cannot format a Redis command"};
  out.append(formatted, static_cast<std::size_t>(n));
  redisFreeCommand(formatted);
  return ok_status();
}

}  // namespace

Result<RedisEndpoint> RedisEndpoint::parse(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Error{ErrorCode::kInvalidField, "'" + std::string(text) + "' is not HOST:PORT"};
  }
  unsigned port = 0;
  const auto digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    return Error{ErrorCode::kInvalidField, "'" + std::string(text) + "' has no valid port (1-65535)"};
  }
  return RedisEndpoint{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
}

struct RedisConnection::Impl {
  Impl() : reader(redisReaderCreate()) {}
  ~Impl() {
    if (reader) redisReaderFree(reader);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  net::LineClient client;
  redisReader* reader;  // hiredis' incremental reply reader, owned
};

RedisConnection::RedisConnection(std::unique_ptr<Impl> impl, RedisConnectionOptions options)
    : impl_(std::move(impl)), options_(std::move(options)) {}
RedisConnection::~RedisConnection() = default;

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisConnectionOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (!impl->reader) return Error{ErrorCode::kInternalError, "cannot create a Redis reply reader"};
  net::ClientOptions client{.host = options.endpoint.host, .port = options.endpoint.port, .timeout = options.timeout};
  if (options.tls) {
    client.tls = net::TlsClientFiles{options.tls->ca_file, options.tls->server_name, options.tls->certificate_file,
                                     options.tls->private_key_file};
  }
  if (auto s = impl->client.connect(client); !s) {
    return Error{ErrorCode::kConnectionFailed, "Redis at " + options.endpoint.to_string() + ": " + s.error().message};
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(std::move(impl), options));
  if (options.credentials) {
    LAB_ASSIGN_OR_RETURN(auto reply, connection->command({"AUTH", options.credentials->user,
                                                          options.credentials->password}));
    if (reply.is_error()) {
      // The reply names no secret: WRONGPASS / NOPERM text from Redis.
      return Error{ErrorCode::kAuthFailed, "Redis at " + options.endpoint.to_string() + " refused user '" +
                                               options.credentials->user + "': " + reply.text};
    }
  }
  return connection;
}

Result<RedisReply> RedisConnection::command(std::span<const std::string_view> args) {
  std::string bytes;
  if (auto s = append_command(bytes, args); !s) return s.error();
  LAB_ASSIGN_OR_RETURN(auto replies, exchange(std::move(bytes), 1));
  return std::move(replies.front());
}

Result<RedisReply> RedisConnection::command(std::initializer_list<std::string_view> args) {
  return command(std::span<const std::string_view>(args.begin(), args.size()));
}

Result<std::vector<RedisReply>> RedisConnection::pipeline(std::span<const RedisCommand> commands) {
  std::string bytes;
  std::vector<std::string_view> views;
  for (const auto& c : commands) {
    views.assign(c.begin(), c.end());
    if (auto s = append_command(bytes, views); !s) return s.error();
  }
  return exchange(std::move(bytes), commands.size());
}

Result<std::vector<RedisReply>> RedisConnection::exchange(std::string bytes, std::size_t replies) {
  if (broken_) return Error{ErrorCode::kConnectionFailed, "Redis connection to " + endpoint().to_string() + " is broken"};
  auto fail = [this](const Error& e) -> Error {
    broken_ = true;
    return Error{ErrorCode::kConnectionFailed, "Redis at " + endpoint().to_string() + ": " + e.message};
  };
  ++round_trips_;
  if (auto s = impl_->client.send_raw(bytes); !s) return fail(s.error());
  std::vector<RedisReply> out;
  out.reserve(replies);
  while (out.size() < replies) {
    void* raw = nullptr;
    if (redisReaderGetReply(impl_->reader, &raw) != REDIS_OK) {
      return fail(Error{ErrorCode::kConnectionFailed, "protocol error in a reply"});
    }
    if (raw != nullptr) {
      std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
      out.push_back(convert(*reply));
      continue;
    }
    auto chunk = impl_->client.read_some(options_.timeout);
    if (!chunk) return fail(chunk.error());
    if (redisReaderFeed(impl_->reader, chunk->data(), chunk->size()) != REDIS_OK) {
      return fail(Error{ErrorCode::kConnectionFailed, "protocol error in a reply"});
    }
  }
  return out;
}

}  // namespace lab::redis
