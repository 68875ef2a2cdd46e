/**
 * The Redis store against a real redis-server of its own (see test-support/redis-server.ts): what it
 * keeps, what two instances on one Redis see, and what it does while Redis is gone or hangs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import type { JobInput } from '../plan.js';
import type { JobResource } from '../../protocol/job-resource.js';
import { RedisServer, redisServerAvailable } from '../../test-support/redis-server.js';
import { TimerQueue } from '../timer-queue.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { RedisJobStoreOptions } from './redis-store.js';
import { RedisJobStore } from './redis-store.js';

const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
const input: JobInput = {
  sourceLanguage: 'en',
  targetLanguage: 'fr',
  videoDurationSeconds: 10,
  lipSync: false,
};
const timed = (durationMs: number, outcome: 'completed' | 'error' = 'completed'): JobInput => ({
  ...input,
  simulate: { durationMs, outcome, errorCode: outcome === 'error' ? 'render_failed' : undefined },
});

const available = redisServerAvailable();
let redis: RedisServer;
const stores: RedisJobStore[] = [];
let testNumber = 0;
/** Each test has keys of its own, so tests on the one Redis never see each other's jobs. */
let prefix = '';

beforeAll(async () => {
  if (available) redis = await RedisServer.start({ persistence: true });
});
afterAll(async () => {
  if (available) await redis.close();
});
beforeEach(() => {
  prefix = `t${++testNumber}:`;
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A store (an "instance") on the test's Redis, with keys of the current test only. */
async function instance(options: Partial<RedisJobStoreOptions> = {}): Promise<RedisJobStore> {
  const store = await RedisJobStore.connect({
    url: redis.url,
    model,
    seed: 1,
    timers: new TimerQueue(systemClock),
    keyPrefix: prefix,
    commandTimeoutMs: 500,
    ...options,
  });
  stores.push(store);
  return store;
}

/** Resolves once `check` holds, polling briefly; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!available)('RedisJobStore', () => {
  it('creates, gets and batches jobs; unknown ids are undefined', async () => {
    const store = await instance();
    const a = await store.create(input);
    const b = await store.create(timed(100));
    expect(a).toMatchObject({ result: 'pending', stage: 'queued', version: 1, source_language: 'en' });
    expect((await store.get(b.id))?.id).toBe(b.id);
    expect(await store.get('nope')).toBeUndefined();
    const many = await store.getMany([b.id, 'nope', a.id]);
    expect(many.map((j) => j?.id)).toEqual([b.id, undefined, a.id]);
  });

  it('shows a job made on one instance to another, at the same version', async () => {
    const [a, b] = [await instance(), await instance()];
    const job = await a.create(timed(400));
    await until(async () => ((await b.get(job.id))?.version ?? 0) >= 2);
    for (let i = 0; i < 20; i++) {
      const [fromA, fromB] = [await a.get(job.id), await b.get(job.id)];
      // Reads that follow one another never go back, whichever instance answers.
      expect(fromB?.version).toBeGreaterThanOrEqual(fromA?.version ?? Infinity);
      expect(fromB?.created_at).toBe(job.created_at);
    }
    await until(async () => (await a.get(job.id))?.result === 'completed');
    expect(await b.get(job.id)).toMatchObject({ result: 'completed', stage: 'done', version: 6 });
  });

  it('tells subscribers on any instance of every stage change, once each, in order', async () => {
    const [a, b] = [await instance(), await instance()];
    const job = await a.create(timed(500));
    const seen: JobResource[] = [];
    const unsubscribe = b.subscribe(job.id, (j) => seen.push(j));
    await until(() => seen.at(-1)?.result === 'completed');
    // The first notification is the state the watch found; every version after it comes once.
    const versions = seen.map((j) => j.version);
    expect(versions).toEqual([...new Set(versions)].sort((x, y) => x - y));
    expect(versions.at(-1)).toBe(6);
    expect(seen.at(-1)?.stage).toBe('done');
    unsubscribe();
    expect(b.subscriptionCount).toBe(0);
  });

  it('cancels through one instance and wakes a subscriber on another at once', async () => {
    const [a, b] = [await instance(), await instance()];
    const job = await a.create(timed(60_000));
    const seen: JobResource[] = [];
    a.subscribe(job.id, (j) => seen.push(j));
    await until(() => seen.length > 0); // the watch has read the job
    const started = Date.now();
    const result = await b.cancel(job.id);
    expect(result).toMatchObject({
      outcome: 'canceled',
      job: { id: job.id, result: 'error', stage: 'canceled', version: 2, error: { code: 'canceled' } },
    });
    await until(() => seen.at(-1)?.stage === 'canceled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen.at(-1)).toMatchObject({ version: 2, completed_at: result?.job.completed_at });
    expect(await a.get(job.id)).toMatchObject({ stage: 'canceled', version: 2 });
  });

  it('answers a repeated cancel as already canceled, a finished job as finished, an unknown id as undefined', async () => {
    const store = await instance();
    const running = await store.create(timed(60_000));
    const done = await store.create(timed(10));
    await store.cancel(running.id);
    expect((await store.cancel(running.id))?.outcome).toBe('already_canceled');
    await until(async () => (await store.get(done.id))?.result === 'completed');
    expect(await store.cancel(done.id)).toMatchObject({ outcome: 'finished', job: { result: 'completed' } });
    expect(await store.cancel('nope')).toBeUndefined();
    expect(await store.countByResult()).toEqual({ pending: 0, completed: 1, error: 1 });
  });

  it('makes the same plans for the same seed, whichever instance creates the nth job', async () => {
    const a = await instance({ seed: 9 });
    const first = await a.create({ ...input, videoDurationSeconds: 100 });
    const eta = first.eta_ms ?? 0;
    prefix = `${prefix}again:`;
    const b = await instance({ seed: 9 });
    const again = await b.create({ ...input, videoDurationSeconds: 100 });
    // eta_ms differs only by the ±3% read noise around the same planned value.
    expect(Math.abs((again.eta_ms ?? 0) - eta)).toBeLessThan(eta * 0.07);
  });

  it('shares one default job between instances and restarts, until it expires', async () => {
    const [a, b] = [await instance({ retentionMs: 300 }), await instance({ retentionMs: 300 })];
    const first = await a.createDefault(timed(50));
    expect((await b.createDefault(timed(50))).id).toBe(first.id);
    await until(async () => (await a.get(first.id)) === undefined, 3000);
    const next = await b.createDefault(timed(50));
    expect(next.id).not.toBe(first.id);
    expect((await a.createDefault(timed(50))).id).toBe(next.id);
  });

  it('claims an idempotency key once, across instances, and answers the job made under it', async () => {
    const [a, b] = [await instance(), await instance()];
    expect(await a.claimKey('k1', 'fp')).toEqual({ status: 'claimed' });
    expect(await b.claimKey('k1', 'fp')).toEqual({ status: 'in_progress' });
    expect(await b.claimKey('k1', 'other')).toEqual({ status: 'conflict' });
    const job = await a.create(input, 'k1');
    expect(await b.claimKey('k1', 'fp')).toEqual({ status: 'done', jobId: job.id });
    expect(await b.claimKey('k1', 'other')).toEqual({ status: 'conflict' });
    await b.releaseKey('k1'); // a done key is not given back
    expect(await a.claimKey('k1', 'fp')).toEqual({ status: 'done', jobId: job.id });
  });

  it('gives back a claim whose create failed, so the key can be used again', async () => {
    const store = await instance();
    expect(await store.claimKey('k2', 'fp')).toEqual({ status: 'claimed' });
    await store.releaseKey('k2');
    expect(await store.claimKey('k2', 'other')).toEqual({ status: 'claimed' });
  });

  it('counts and lists retained jobs by result', async () => {
    const store = await instance();
    const done = await store.create(timed(10));
    const failed = await store.create(timed(10, 'error'));
    const running = await store.create(timed(60_000));
    await until(async () => (await store.get(failed.id))?.result === 'error');
    expect(await store.countByResult()).toEqual({ pending: 1, completed: 1, error: 1 });
    expect((await store.list({ result: 'error' })).map((j) => j.id)).toEqual([failed.id]);
    expect((await store.list({ limit: 2 })).map((j) => j.id)).toEqual([running.id, failed.id]);
    expect((await store.list()).map((j) => j.id)).toEqual([running.id, failed.id, done.id]);
  });

  it('forgets finished jobs once their retention has passed, and only then', async () => {
    const store = await instance({ retentionMs: 300 });
    const job = await store.create(timed(50));
    const running = await store.create(timed(60_000));
    await until(async () => (await store.get(job.id))?.result === 'completed');
    await until(async () => (await store.get(job.id)) === undefined, 3000);
    expect(await store.get(running.id)).toBeDefined();
    expect(await store.countByResult()).toEqual({ pending: 1, completed: 0, error: 0 });
  });

  it('keeps every job through a restart of the instances and a kill -9 of Redis', async () => {
    const first = await instance();
    const job = await first.create(timed(60_000));
    await first.close();
    const second = await instance();
    expect((await second.get(job.id))?.created_at).toBe(job.created_at);
    await redis.kill();
    await redis.restart();
    await until(() => second.available);
    expect(await second.get(job.id)).toMatchObject({ id: job.id, created_at: job.created_at });
  });

  it('answers StoreUnavailableError at once while Redis is down, and recovers by itself', async () => {
    const store = await instance();
    const job = await store.create(timed(60_000));
    const changes: boolean[] = [];
    store.onAvailability((available) => changes.push(available));
    await redis.stop();
    await until(() => !store.available);
    const started = Date.now();
    await expect(store.get(job.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.create(input)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(400);
    await redis.restart();
    await until(() => store.available);
    expect((await store.get(job.id))?.id).toBe(job.id);
    expect(changes).toEqual([false, true]);
  });

  it('answers StoreUnavailableError within the command timeout while Redis hangs', async () => {
    const store = await instance({ commandTimeoutMs: 300 });
    const job = await store.create(timed(60_000));
    redis.pause();
    try {
      const started = Date.now();
      await expect(store.get(job.id)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(store.available).toBe(false);
    } finally {
      redis.resume();
    }
    await until(() => store.available);
    expect((await store.get(job.id))?.id).toBe(job.id);
  });

  it('refuses to start without Redis, naming it but never its password', async () => {
    const error = await RedisJobStore.connect({
      url: 'redis://user:s3cret@127.0.0.1:1',
      model,
      seed: 1,
      timers: new TimerQueue(systemClock),
      connectTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/redis:\/\/user:\*\*\*@127\.0\.0\.1:1/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
