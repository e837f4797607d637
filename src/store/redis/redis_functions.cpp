#include "store/redis/redis_functions.h"

#include "embedded/embedded_files.h"

namespace lab::store {

std::vector<std::string> redis_function_libraries() {
  std::vector<std::string> out;
  for (const auto path : embedded::paths()) {
    if (path.starts_with("redis/") && path.ends_with(".lua")) out.emplace_back(path);
  }
  return out;
}

Status load_redis_functions(redis::RedisConnection& connection) {
  for (const auto& library : redis_function_libraries()) {
    const auto code = embedded::file(library);
    if (!code) return Error{ErrorCode::kInternalError, "missing embedded " + library};
    auto reply = connection.command({"FUNCTION", "LOAD", "REPLACE", *code});
    if (!reply) return reply.error();
    if (reply->is_error()) {
      return Error{ErrorCode::kInternalError, "Redis refused function library " + library + ": " + reply->text};
    }
  }
  return ok_status();
}

}  // namespace lab::store
