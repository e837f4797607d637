#!lua name=lab_agents
-- Stage 4's agent directory: one compare-and-set write, shared by every coordinator instance. The role and the
-- specialties are decided in C++ on the record read first; the record (`data`) arrives sealed.

-- agent_put KEYS: agent hash, the agents sorted set (every score 0: listed by id)
--           ARGV: expected version ('0' = the agent must not exist yet), new version, sealed record, agent id
-- {1} written; {0, version, sealed record} the agent is not at the expected version: what it is now. With
-- expected '0' this is create-if-absent, atomically (role_or_create).
local function agent_put(keys, args)
  local current = redis.call('HMGET', keys[1], 'v', 'data')
  if (current[1] or '0') ~= args[1] then return {0, current[1], current[2]} end
  redis.call('HSET', keys[1], 'v', args[2], 'data', args[3])
  redis.call('ZADD', keys[2], 0, args[4])
  return {1}
end

redis.register_function('agent_put', agent_put)
