#!lua name=lab_tasks
-- Stage 4's projects and tasks: only the writes that must be atomic on the primary. Every rule (the A2A state
-- machine, specialty, assignee, expected_version) is decided in C++ on a record read first; these functions only
-- make sure nothing changed in between (compare-and-set on the plaintext version `v`), so two coordinator
-- instances racing for one task give exactly one winner. The records themselves (`data`) arrive sealed.

-- project_create KEYS: project hash, the projects sorted set; ARGV: sequence number, id, version, sealed record.
-- 1 created; 0 when the id is already taken (a sequence that went back, e.g. an INCR lost in a failover).
local function project_create(keys, args)
  if redis.call('EXISTS', keys[1]) == 1 then return 0 end
  redis.call('HSET', keys[1], 'v', args[3], 'data', args[4])
  redis.call('ZADD', keys[2], args[1], args[2])
  return 1
end

-- task_reserve KEYS: project hash, the project's task set, the task sequence; ARGV: max tasks per project (0 = no
-- limit). Issues a task id only for a project that exists and has room: {0} no project, {-1} full, else
-- {1, sequence number, project version, sealed project} (the caller checks the project record opens).
local function task_reserve(keys, args)
  local project = redis.call('HMGET', keys[1], 'v', 'data')
  if not project[1] then return {0} end
  local limit = tonumber(args[1])
  if limit > 0 and redis.call('ZCARD', keys[2]) >= limit then return {-1} end
  return {1, redis.call('INCR', keys[3]), project[1], project[2]}
end

-- task_create KEYS: task hash, the tasks sorted set, the project's task set, project hash
--             ARGV: sequence number, id, version, sealed record, max tasks per project (0 = no limit)
-- The project check and the limit are made again here, with the insert, so the limit holds under any race.
-- 1 created, 0 no project, -1 full, -2 the id is already taken.
local function task_create(keys, args)
  if redis.call('EXISTS', keys[1]) == 1 then return -2 end
  if redis.call('EXISTS', keys[4]) == 0 then return 0 end
  local limit = tonumber(args[5])
  if limit > 0 and redis.call('ZCARD', keys[3]) >= limit then return -1 end
  redis.call('HSET', keys[1], 'v', args[3], 'data', args[4])
  redis.call('ZADD', keys[2], args[1], args[2])
  redis.call('ZADD', keys[3], args[1], args[2])
  return 1
end

-- task_cas KEYS: task hash; ARGV: expected version, new version, sealed record.
-- {1} written; {0} no such task; {0, version, sealed record} the task moved on: what it is now, so the caller
-- decides again without another read.
local function task_cas(keys, args)
  local current = redis.call('HMGET', keys[1], 'v', 'data')
  if not current[1] then return {0} end
  if current[1] ~= args[1] then return {0, current[1], current[2]} end
  redis.call('HSET', keys[1], 'v', args[2], 'data', args[3])
  return {1}
end

redis.register_function('project_create', project_create)
redis.register_function('task_reserve', task_reserve)
redis.register_function('task_create', task_create)
redis.register_function('task_cas', task_cas)
