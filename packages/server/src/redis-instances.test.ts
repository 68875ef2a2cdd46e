/**
 * Server instances on one Redis (`storeUrl`), over real sockets: what one instance does, another sees;
 * and while Redis is gone every answer is a 503 with Retry-After, never a 500 or a hang.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './server.js';
import { startServer } from './server.js';
import { isStoreSetting, redactUrl } from './settings/store-url.js';
import { createJobOver, until } from './test-support/http.js';
import { RedisServer, redisServerAvailable } from './test-support/redis-server.js';

const available = redisServerAvailable();
let redis: RedisServer;
const servers: RunningServer[] = [];

beforeAll(async () => {
  if (available) redis = await RedisServer.start({ persistence: true });
});
afterAll(async () => {
  if (available) await redis.close();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  if (available && redis.pid === undefined) await redis.restart();
});

async function instance(): Promise<RunningServer> {
  const server = await startServer({ port: 0, logLevel: 'silent', storeUrl: redis.url, maxWaitSeconds: 5 });
  servers.push(server);
  return server;
}

describe('the store setting', () => {
  it.each([
    ['memory', true],
    ['redis://127.0.0.1:6379', true],
    ['redis://user:pw@redis.internal:6380/2', true],
    ['rediss://redis.example.com', true],
    ['redis://', false],
    ['http://127.0.0.1:6379', false],
    ['redis://host:6379/db', false],
    ['redis://host/0?x=1', false],
    ['Memory', false],
    ['', false],
  ])('%j is accepted: %s', (value, expected) => {
    expect(isStoreSetting(value)).toBe(expected);
  });

  it('shows a URL with its password replaced', () => {
    expect(redactUrl('redis://user:s3cret@host:6379/1')).toBe('redis://user:***@host:6379/1');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});

describe.skipIf(!available)('instances on one Redis', () => {
  it('share the default job and answer any job at the same version', async () => {
    const [a, b] = [await instance(), await instance()];
    expect(b.app.defaultJobId).toBe(a.app.defaultJobId);
    const job = await createJobOver(a, 400);
    const fromB = (await (await fetch(`${b.url}/jobs/${job.id}`)).json()) as { id: string };
    expect(fromB.id).toBe(job.id);
    await until(async () => {
      const res = await fetch(`${b.url}/jobs/${job.id}`);
      return ((await res.json()) as { result: string }).result === 'completed';
    });
    const final = (await (await fetch(`${a.url}/jobs/${job.id}`)).json()) as { version: number };
    expect(final.version).toBe(6);
  });

  it('wake a long-poll held on one instance when the job is canceled through another', async () => {
    const [a, b] = [await instance(), await instance()];
    const job = await createJobOver(a, 600_000);
    const held = fetch(`${a.url}/jobs/${job.id}`, { headers: { prefer: 'wait=5', 'if-none-match': '"v1"' } });
    await until(() => a.store.subscriptionCount > 0);
    const started = Date.now();
    const canceled = await fetch(`${b.url}/jobs/${job.id}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    const answer = await held;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await answer.json()).toMatchObject({ id: job.id, stage: 'canceled', error: { code: 'canceled' } });
  });

  it('hold a wake=result long-poll past max-wait (up to max-result-wait) and wake it at a cancel through another', async () => {
    const a = await startServer({ port: 0, logLevel: 'silent', storeUrl: redis.url, maxWaitSeconds: 1 });
    servers.push(a);
    const b = await instance();
    const job = await createJobOver(a, 600_000);
    const held = fetch(`${a.url}/jobs/${job.id}?wake=result`, { headers: { prefer: 'wait=30' } });
    await until(() => a.store.subscriptionCount > 0);
    // Past the 1 s of max-wait: still held.
    const early = await Promise.race([held.then(() => 'answered'), sleep(2500).then(() => 'held')]);
    expect(early).toBe('held');
    expect((await fetch(`${b.url}/jobs/${job.id}`, { method: 'DELETE' })).status).toBe(200);
    const answer = await held;
    expect(answer.headers.get('preference-applied')).toBe('wait=30');
    expect(await answer.json()).toMatchObject({ id: job.id, stage: 'canceled' });
  });

  it('still wake a hold on one instance at a cancel through another after Redis restarted (pub/sub resubscribed)', async () => {
    const [a, b] = [await instance(), await instance()];
    const job = await createJobOver(a, 600_000);
    await redis.kill();
    await redis.restart();
    // Both instances are back on Redis: both connections, the subscriber's included, are ready again.
    for (const server of [a, b])
      await until(async () => (await fetch(`${server.url}/healthz`)).status === 200);
    const held = fetch(`${a.url}/jobs/${job.id}`, { headers: { prefer: 'wait=5', 'if-none-match': '"v1"' } });
    await until(() => a.store.subscriptionCount > 0);
    const started = Date.now();
    expect((await fetch(`${b.url}/jobs/${job.id}`, { method: 'DELETE' })).status).toBe(200);
    const answer = await held;
    // Woken by the announcement, not by the hold's own 5 s deadline.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await answer.json()).toMatchObject({ id: job.id, stage: 'canceled', error: { code: 'canceled' } });
  });

  it('make one job of the same Idempotency-Key sent to one instance and then another', async () => {
    const [a, b] = [await instance(), await instance()];
    const send = (server: RunningServer): Promise<Response> =>
      fetch(`${server.url}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'order-7' },
        body: JSON.stringify({ source_language: 'en', target_language: 'fr', video_duration_seconds: 10 }),
      });
    const first = await send(a);
    const again = await send(b);
    expect([first.status, again.status]).toEqual([201, 200]);
    const [made, replayed] = (await Promise.all([first.json(), again.json()])) as { id: string }[];
    expect(replayed?.id).toBe(made?.id);
    const listed = (await (await fetch(`${b.url}/jobs?limit=100`)).json()) as { jobs: { id: string }[] };
    expect(listed.jobs.filter((j) => j.id === made?.id)).toHaveLength(1);
  });

  it('answer 503 with Retry-After while Redis is gone, let go of held requests, and recover', async () => {
    const server = await instance();
    const job = await createJobOver(server, 600_000);
    const held = fetch(`${server.url}/jobs/${job.id}`, {
      headers: { prefer: 'wait=5', 'if-none-match': '"v1"' },
    });
    const stream = await fetch(`${server.url}/jobs/${job.id}/events`);
    const streamText = stream.text();
    await until(() => server.store.subscriptionCount >= 2);
    const lostAt = Date.now();
    await redis.kill();

    const answer = await held;
    expect(Date.now() - lostAt).toBeLessThan(2000);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(await streamText).toMatch(/^retry: 1000/); // it ended: the client reconnects
    for (const res of [
      await fetch(`${server.url}/jobs/${job.id}`),
      await fetch(`${server.url}/status`),
      await fetch(`${server.url}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source_language: 'en', target_language: 'es', video_duration_seconds: 10 }),
      }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);

    await redis.restart();
    await until(async () => (await fetch(`${server.url}/healthz`)).status === 200);
    expect((await fetch(`${server.url}/jobs/${job.id}`)).status).toBe(200);
  });

  it('refuses to start when Redis cannot be reached, naming it without its password', async () => {
    const error = await startServer({
      port: 0,
      logLevel: 'silent',
      storeUrl: 'redis://app:hunter2@127.0.0.1:1',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Cannot reach Redis at redis:\/\/app:\*\*\*@127\.0\.0\.1:1/);
    expect((error as Error).message).not.toContain('hunter2');
  }, 20_000);
});
