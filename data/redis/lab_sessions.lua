#!lua name=lab_sessions
-- Stage 4's session table and its shared controls, as Redis Functions: each call is atomic on the primary and
-- replicated with its effects, so every coordinator instance sees the same sessions, nonces, budgets and lockouts.

-- session_write KEYS: session hash, the agent's session set
--               ARGV: version, agent, sealed record, idle TTL in ms (0 = none), the version expected now (0 = no
--                     session), session id, the prefix of agent session sets (a replaced session may have belonged
--                     to another agent)
-- A compare-and-set that only moves forward: returns 1 when written, 0 when the session is not at the expected
-- version (an insert found the id taken, or another writer came first) or the new version is not above it.
local function session_write(keys, args)
  local current = redis.call('HGET', keys[1], 'v') or '0'
  if current ~= args[5] or tonumber(args[1]) <= tonumber(current) then return 0 end
  local previous = redis.call('HGET', keys[1], 'agent')
  if previous and previous ~= args[2] then redis.call('SREM', args[7] .. previous, args[6]) end
  redis.call('DEL', keys[1])
  redis.call('HSET', keys[1], 'v', args[1], 'agent', args[2], 'data', args[3])
  if tonumber(args[4]) > 0 then redis.call('PEXPIRE', keys[1], args[4]) else redis.call('PERSIST', keys[1]) end
  redis.call('SADD', keys[2], args[6])
  return 1
end

-- session_cas KEYS: session hash; ARGV: expected version, new version, sealed record.
-- Replaces the record only while it is still at the expected version (its TTL is kept). 1 written, 0 not.
local function session_cas(keys, args)
  if redis.call('HGET', keys[1], 'v') ~= args[1] then return 0 end
  redis.call('HSET', keys[1], 'v', args[2], 'data', args[3])
  return 1
end

-- session_touch KEYS: session hash; ARGV: now in ms, idle TTL in ms (0 = none).
-- Records activity and restarts the idle clock (the key's TTL). 1 when the session exists.
local function session_touch(keys, args)
  if redis.call('EXISTS', keys[1]) == 0 then return 0 end
  redis.call('HSET', keys[1], 'seen', args[1])
  if tonumber(args[2]) > 0 then redis.call('PEXPIRE', keys[1], args[2]) end
  return 1
end

-- session_erase KEYS: session hash, the agent's session set; ARGV: session id. 1 when it existed.
local function session_erase(keys, args)
  redis.call('SREM', keys[2], args[1])
  return redis.call('DEL', keys[1])
end

-- nonce_remember KEYS: the nonce's key; ARGV: lifetime in ms. 1 fresh (remembered now), 0 seen before.
local function nonce_remember(keys, args)
  if redis.call('SET', keys[1], '1', 'NX', 'PX', args[1]) then return 1 end
  return 0
end

-- Redis's clock (TIME) in microseconds: one clock for every instance.
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- The tokens in a bucket at `now`: full when it does not exist (a full bucket is the same as none). Read field by
-- field (HGET): the lab's clients never send HGET on the request path, so Redis's command statistics tell the
-- reads clients make (HMGET) from the ones these functions make.
local function bucket_level(key, rate, burst, now)
  local tokens, updated = redis.call('HGET', key, 'tokens'), redis.call('HGET', key, 'updated')
  if not tokens or not updated then return burst end
  return math.min(burst, tonumber(tokens) + (now - tonumber(updated)) * rate / 1000000)
end

local function bucket_keep(key, rate, burst, tokens, now)
  -- Stored as text: a Lua number would be cut to an integer on its way out.
  redis.call('HSET', key, 'tokens', string.format('%.6f', tokens), 'updated', tostring(now))
  -- A full bucket is the same as none: it lives only as long as it takes to refill.
  redis.call('PEXPIRE', key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
end

-- bucket_take KEYS: the bucket hash; ARGV: tokens per second, burst, cost.
-- A token bucket on Redis's clock, one clock for every instance. Returns {1, 0} when taken, or
-- {0, ms until `cost` tokens are there}.
local function bucket_take(keys, args)
  local rate, burst, cost = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  local now = now_us()
  local tokens = bucket_level(keys[1], rate, burst, now)
  local allowed = tokens >= cost
  if allowed then tokens = tokens - cost end
  bucket_keep(keys[1], rate, burst, tokens, now)
  if allowed then return {1, 0} end
  return {0, math.ceil((cost - tokens) * 1000 / rate)}
end

-- admit KEYS: one per step; ARGV: the steps in order, each its kind and then its arguments:
--   bucket RATE BURST COST    take COST tokens (the bucket must hold them)
--   nonce LIFETIME_MS         remember a nonce (it must be new)
--   unchanged V SHA1          a record hash still holds version V and a value (field data) of that SHA-1: an
--                             instance's cached copy is still, byte for byte, what Redis holds
--   touch NOW_MS IDLE_TTL_MS  record a session's activity and restart its idle clock (it must exist)
-- A whole request's shared checks in one call: every step is checked first, and only when all of them hold are
-- their writes made, all together. Returns 0 when admitted, else the number (from 1) of the first step that does
-- not hold, with nothing written: the instance then asks again control by control, for the exact refusal.
local step_arguments = {bucket = 3, nonce = 1, unchanged = 2, touch = 2}
local function admit(keys, args)
  local steps, at = {}, 1
  for i = 1, #keys do
    local kind = args[at]
    local n = step_arguments[kind]
    if not n or at + n > #args then return redis.error_reply('ERR admit: step ' .. i .. ' is malformed') end
    steps[i] = {kind = kind, key = keys[i], a = {unpack(args, at + 1, at + n)}}
    at = at + 1 + n
  end
  if at <= #args then return redis.error_reply('ERR admit: more arguments than steps') end
  local now = now_us()
  for i, s in ipairs(steps) do
    local holds
    if s.kind == 'bucket' then
      holds = bucket_level(s.key, tonumber(s.a[1]), tonumber(s.a[2]), now) >= tonumber(s.a[3])
    elseif s.kind == 'nonce' then
      holds = redis.call('EXISTS', s.key) == 0
    elseif s.kind == 'unchanged' then
      holds = redis.call('HGET', s.key, 'v') == s.a[1] and
              redis.sha1hex(redis.call('HGET', s.key, 'data') or '') == s.a[2]
    else
      holds = redis.call('EXISTS', s.key) == 1
    end
    if not holds then return i end
  end
  for _, s in ipairs(steps) do
    if s.kind == 'bucket' then
      local rate, burst = tonumber(s.a[1]), tonumber(s.a[2])
      bucket_keep(s.key, rate, burst, bucket_level(s.key, rate, burst, now) - tonumber(s.a[3]), now)
    elseif s.kind == 'nonce' then
      redis.call('SET', s.key, '1', 'PX', s.a[1])
    elseif s.kind == 'touch' then
      redis.call('HSET', s.key, 'seen', s.a[1])
      if tonumber(s.a[2]) > 0 then redis.call('PEXPIRE', s.key, s.a[2]) end
    end
  end
  return 0
end

-- lockout_fail KEYS: the account's failure count, the account's lock
--              ARGV: failures that lock, lock time in ms
-- Counts one failed login (the count lives as long as a lock would); at the limit the account is locked for the
-- lock time and the count starts again. Returns the count reached.
local function lockout_fail(keys, args)
  local failures = redis.call('INCR', keys[1])
  redis.call('PEXPIRE', keys[1], args[2])
  if failures >= tonumber(args[1]) then
    redis.call('SET', keys[2], '1', 'PX', args[2])
    redis.call('DEL', keys[1])
  end
  return failures
end

-- lockout_clear KEYS: the account's failure count. A successful login starts the count again.
local function lockout_clear(keys, args)
  return redis.call('DEL', keys[1])
end

redis.register_function('session_write', session_write)
redis.register_function('session_cas', session_cas)
redis.register_function('session_touch', session_touch)
redis.register_function('session_erase', session_erase)
redis.register_function('nonce_remember', nonce_remember)
redis.register_function('bucket_take', bucket_take)
redis.register_function('admit', admit)
redis.register_function('lockout_fail', lockout_fail)
redis.register_function('lockout_clear', lockout_clear)
