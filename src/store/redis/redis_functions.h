// Stage 4's Redis Functions: the Lua libraries in data/redis/*.lua (embedded in the binary), each loaded with
// FUNCTION LOAD REPLACE on every new connection. Functions, not EVALSHA scripts: a function library is replicated
// and persisted with the data, so a promoted replica runs FCALL at once, where its empty script cache would
// answer NOSCRIPT to an EVALSHA.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "redis/redis_connection.h"

namespace lab::store {

// The embedded libraries' names ("redis/lab_tasks.lua", ...).
std::vector<std::string> redis_function_libraries();
// Loads (replaces) every library on `connection`; an error names the library Redis refused and why.
Status load_redis_functions(redis::RedisConnection& connection);

}  // namespace lab::store
