#!lua name=lab_events
-- Stage 4's event stream. An event is sealed in C++ bound to its sequence number, so the number must be known
-- before the call: the caller proposes the next one, and this function takes the number (INCR) and appends the
-- entry in one atomic step only if the proposal is right. Stream order and sequence order are then the same,
-- with no gaps, across every coordinator instance.

-- event_append KEYS: the event sequence, the stream; ARGV: proposed sequence number, approximate stream length
--              bound, sealed event
-- {1, entry id} appended; {0, current sequence} another instance took that number: propose the next one.
local function event_append(keys, args)
  local current = tonumber(redis.call('GET', keys[1]) or '0')
  if current + 1 ~= tonumber(args[1]) then return {0, current} end
  redis.call('INCR', keys[1])
  local id = redis.call('XADD', keys[2], 'MAXLEN', '~', args[2], '*', 'seq', args[1], 'data', args[3])
  return {1, id}
end

redis.register_function('event_append', event_append)
