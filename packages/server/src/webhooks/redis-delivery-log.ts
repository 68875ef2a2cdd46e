/**
 * Webhook deliveries in Redis, beside the jobs, so they survive a restart of any or all instances. Each
 * delivery (its record and the exact body signed) is one field of its job's hash, kept as long as the
 * job; a sorted set says when each pending one is due. Taking due deliveries is one script, so two
 * instances sweeping at once never take the same one.
 */
import type { RedisConnection } from '../domain/redis/connection.js';
import type { RedisKeys } from '../domain/redis/keys.js';
import { lua } from '../domain/redis/scripts.js';
import type { Callback } from './callback.js';
import type { DeliveryLog, DeliveryRecord, StoredDelivery } from './delivery-log.js';

/**
 * Adds a delivery unless its webhook id is taken, due at the caller's lease end.
 * KEYS: the job's deliveries hash, due set. ARGV: webhook id, JSON, lease end ms, member, retention ms.
 */
const ADD = lua(`if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`);

/** Writes a delivery back. KEYS, ARGV as ADD, with ARGV[3] '' for a finished one. */
const SAVE = lua(`redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if ARGV[3] == '' then redis.call('ZREM', KEYS[2], ARGV[4]) else redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4]) end
return 1`);

/**
 * Takes due deliveries. KEYS: due set. ARGV: now ms, lease end ms, limit, deliveries key prefix.
 * Reply: the JSON of each taken delivery; members whose delivery has expired are dropped.
 */
const TAKE_DUE =
  lua(`local members = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, member in ipairs(members) do
  local space = string.find(member, ' ', 1, true)
  local json = redis.call('HGET', ARGV[4] .. string.sub(member, 1, space - 1), string.sub(member, space + 1))
  if json then
    redis.call('ZADD', KEYS[1], ARGV[2], member)
    out[#out + 1] = json
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return out`);

interface Shared {
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
  /** Deliveries are kept this long after their last write (the jobs' retention). */
  readonly retentionMs: number;
}

const memberOf = (delivery: StoredDelivery): string => `${delivery.jobId} ${delivery.record.webhook_id}`;

export class RedisDeliveryLog implements DeliveryLog {
  readonly durable = true;
  readonly #redis: RedisConnection;
  readonly #keys: RedisKeys;
  readonly #retention: string;

  constructor({ connection, keys, retentionMs }: Shared) {
    this.#redis = connection;
    this.#keys = keys;
    this.#retention = String(retentionMs);
  }

  async saveCallback(jobId: string, callback: Callback): Promise<void> {
    await this.#redis.send(['HSET', this.#keys.callbacks, jobId, JSON.stringify(callback)]);
  }

  async dropCallback(jobId: string): Promise<void> {
    await this.#redis.send(['HDEL', this.#keys.callbacks, jobId]);
  }

  async callbacks(): Promise<Map<string, Callback>> {
    // node-redis answers HGETALL with an object of field → value.
    const fields = (await this.#redis.send(['HGETALL', this.#keys.callbacks])) as Record<string, string>;
    return new Map(Object.entries(fields).map(([jobId, json]) => [jobId, JSON.parse(json) as Callback]));
  }

  async add(delivery: StoredDelivery, leaseUntilMs: number): Promise<boolean> {
    return (await this.#write(ADD, delivery, String(leaseUntilMs))) === 1;
  }

  async save(delivery: StoredDelivery, dueAtMs: number | undefined): Promise<void> {
    await this.#write(SAVE, delivery, dueAtMs === undefined ? '' : String(dueAtMs));
  }

  async takeDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<StoredDelivery[]> {
    const taken = (await this.#redis.run(
      TAKE_DUE,
      [this.#keys.deliveriesDue],
      [String(nowMs), String(leaseUntilMs), String(limit), this.#keys.deliveriesPrefix],
    )) as string[];
    return taken.map((json) => JSON.parse(json) as StoredDelivery);
  }

  async list(jobId: string): Promise<DeliveryRecord[]> {
    const values = (await this.#redis.send(['HVALS', this.#keys.deliveries(jobId)])) as string[];
    return values
      .map((json) => JSON.parse(json) as StoredDelivery)
      .sort((a, b) => a.createdMs - b.createdMs)
      .map((delivery) => delivery.record);
  }

  async markGone(url: string): Promise<void> {
    await this.#redis.send(['SADD', this.#keys.goneUrls, url]);
  }

  async isGone(url: string): Promise<boolean> {
    return Number(await this.#redis.send(['SISMEMBER', this.#keys.goneUrls, url])) === 1;
  }

  #write(script: typeof ADD, delivery: StoredDelivery, due: string): Promise<unknown> {
    return this.#redis.run(
      script,
      [this.#keys.deliveries(delivery.jobId), this.#keys.deliveriesDue],
      [delivery.record.webhook_id, JSON.stringify(delivery), due, memberOf(delivery), this.#retention],
    );
  }
}
