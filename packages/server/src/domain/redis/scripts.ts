/**
 * The store's Lua scripts. Each runs atomically inside Redis and reads Redis's own clock (`TIME`), so
 * every instance derives a job's state from the same time: a job's version is the same whichever
 * instance answers, and never goes back for a client whose reads follow one another.
 *
 * Replies are flat arrays of strings (or nil): `[status?, seconds, microseconds, ...fields]`.
 */
import { createHash } from 'node:crypto';
import { ErrorReply } from '@redis/client';

/** What the scripts need of a connection: node-redis's `sendCommand`. */
export interface CommandSender {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

export function lua(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script by its digest, sending the source only when Redis does not know it (first use, or after
 * Redis restarted and forgot its script cache).
 */
export async function runScript(
  client: CommandSender,
  script: LuaScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  const rest = [String(keys.length), ...keys, ...args];
  try {
    return await client.sendCommand(['EVALSHA', script.sha1, ...rest]);
  } catch (error) {
    if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.sendCommand(['EVAL', script.source, ...rest]);
  }
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Creates a job; with a key, also records it under that key in the same step.
 * KEYS: job, ends set of its outcome, ends:completed, ends:error, created, key hash (or any key when
 * ARGV[5] is 'none').
 * ARGV: id, record JSON, terminal offset ms, retention ms, key mode, key TTL ms (0 = none), job key
 * prefix, fingerprint (for `once`), member of `created` (the create's sequence number, zero-padded, then
 * ':' and the id, so jobs made in the same millisecond list in the order made). Key modes: `none`; `claimed` (the caller claimed the key: record the job under
 * it); `once` (answer the job the key already names, if it still exists, else create and record).
 * Reply: [status, s, us, id, record, created, canceled]; status created | existing | taken (the id
 * exists: draw another). Record is nil for `created` (the caller has it).
 */
export const CREATE = lua(`${NOW}
local retention = tonumber(ARGV[4])
local mode = ARGV[5]
if mode == 'once' then
  local prior = redis.call('HGET', KEYS[6], 'job')
  if prior then
    local f = redis.call('HMGET', ARGV[7] .. prior, 'record', 'created', 'canceled')
    if f[2] then return {'existing', t[1], t[2], prior, f[1], f[2], f[3]} end
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'taken', t[1], t[2]} end
local ends = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'created', now, 'end', ends)
redis.call('PEXPIREAT', KEYS[1], ends + retention)
redis.call('ZADD', KEYS[2], ends, ARGV[1])
redis.call('ZADD', KEYS[5], now, ARGV[9])
if mode ~= 'none' then
  if mode == 'once' then redis.call('HSET', KEYS[6], 'fingerprint', ARGV[8]) end
  redis.call('HSET', KEYS[6], 'job', ARGV[1], 'state', 'done')
  if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[6], ARGV[6]) else redis.call('PERSIST', KEYS[6]) end
end
-- Forget what has expired, a little per create, so the sets never outgrow the retained jobs.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - retention)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - retention)
local old = redis.call('ZRANGE', KEYS[5], '-inf', now - retention, 'BYSCORE', 'LIMIT', 0, 100)
for _, member in ipairs(old) do
  local old_id = string.sub(member, string.find(member, ':', 1, true) + 1)
  if redis.call('EXISTS', ARGV[7] .. old_id) == 0 then redis.call('ZREM', KEYS[5], member) end
end
return {'created', t[1], t[2], ARGV[1], false, tostring(now), false}`);

/**
 * Claims an idempotency key for a create about to happen. KEYS: key hash.
 * ARGV: fingerprint, claim TTL ms, job key prefix.
 * Reply: [status, job id]; status claimed | in_progress | conflict | done. A key whose job has expired
 * is free again.
 */
export const CLAIM = lua(`local f = redis.call('HMGET', KEYS[1], 'fingerprint', 'state', 'job')
if f[1] then
  local gone = f[2] == 'done' and redis.call('EXISTS', ARGV[3] .. f[3]) == 0
  if not gone then
    if f[1] ~= ARGV[1] then return {'conflict', false} end
    if f[2] == 'done' then return {'done', f[3]} end
    return {'in_progress', false}
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'state', 'claimed')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'claimed', false}`);

/** Gives back a claim whose create failed (a key already done stays). KEYS: key hash. */
export const RELEASE =
  lua(`if redis.call('HGET', KEYS[1], 'state') == 'claimed' then redis.call('DEL', KEYS[1]) end
return 1`);

/**
 * Reads jobs. KEYS: job keys. ARGV: per key, the creation time the caller already holds the record of
 * ('' = none): the record is then left out of the reply.
 * Reply: [s, us, then per key: record, created, canceled] (nil where unknown).
 */
export const READ = lua(`local t = redis.call('TIME')
local out = {t[1], t[2]}
for i = 1, #KEYS do
  local f = redis.call('HMGET', KEYS[i], 'record', 'created', 'canceled')
  if f[2] and f[2] == ARGV[i] then f[1] = false end
  out[#out + 1] = f[1]
  out[#out + 1] = f[2]
  out[#out + 1] = f[3]
end
return out`);

/**
 * Cancels a pending job and tells every instance. KEYS: job, ends:completed, ends:error.
 * ARGV: id, retention ms, changes channel.
 * Reply: [status, s, us, id, record, created, canceled]; status canceled | already_canceled | finished |
 * missing.
 */
export const CANCEL = lua(`${NOW}
local f = redis.call('HMGET', KEYS[1], 'record', 'created', 'canceled', 'end')
if not f[2] then return {'missing', t[1], t[2]} end
local status = 'canceled'
if f[3] then
  status = 'already_canceled'
elseif tonumber(f[4]) <= now then
  status = 'finished'
else
  redis.call('HSET', KEYS[1], 'canceled', now, 'end', now)
  redis.call('PEXPIREAT', KEYS[1], now + tonumber(ARGV[2]))
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[3], now, ARGV[1])
  redis.call('PUBLISH', ARGV[3], ARGV[1])
  f[3] = tostring(now)
end
return {status, t[1], t[2], ARGV[1], f[1], f[2], f[3]}`);

/**
 * Counts retained jobs by result. KEYS: ends:completed, ends:error. ARGV: retention ms.
 * Reply: [completed, error, pending] as integers.
 */
export const COUNT = lua(`${NOW}
local kept = '(' .. (now - tonumber(ARGV[1]))
local later = '(' .. now
return {
  redis.call('ZCOUNT', KEYS[1], kept, now),
  redis.call('ZCOUNT', KEYS[2], kept, now),
  redis.call('ZCOUNT', KEYS[1], later, '+inf') + redis.call('ZCOUNT', KEYS[2], later, '+inf')
}`);
