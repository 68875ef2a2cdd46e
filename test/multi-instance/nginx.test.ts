/**
 * The nginx site of docs/deployment.md, run as written (ports aside) in front of two instances on one
 * Redis: held long-polls and event streams pass through unbuffered and are not cut, a job created
 * through nginx is read through either instance, and a wait follows a job to its end through it.
 */
import { TranslationClient } from '@translation-status/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisServerAvailable } from '../../packages/server/src/test-support/redis-server.js';
import type { Instance } from './instances.js';
import { cliBuilt, startInstances } from './instances.js';
import { documentedSite, Nginx, nginxAvailable, siteFor } from './nginx.js';

const ready = redisServerAvailable() && nginxAvailable() && cliBuilt();
let redis: RedisServer | undefined;
let instances: Instance[] = [];
let nginx: Nginx | undefined;

beforeAll(async () => {
  if (!ready) return;
  redis = await RedisServer.start();
  instances = await startInstances(2, ['--store', redis.url, '--log-level', 'warn', '--heartbeat-ms', '500']);
  const ports = instances.map((instance) => instance.port);
  nginx = await Nginx.start((port) => siteFor(documentedSite(), port, ports));
}, 60_000);
afterAll(async () => {
  await nginx?.close();
  await Promise.all(instances.map((instance) => instance.kill()));
  await redis?.close();
});

async function create(durationMs: number): Promise<{ id: string; version: number }> {
  const res = await fetch(`${nginx?.url ?? ''}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 10,
      lip_sync: false,
      simulate: { duration_ms: durationMs },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; version: number };
}

describe.skipIf(!ready)('the documented nginx site in front of two instances', () => {
  it('answers a job created through it from both instances alike', async () => {
    const job = await create(600_000);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${nginx?.url ?? ''}/jobs/${job.id}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: string; version: number; created_at: string };
      expect(body).toMatchObject({ id: job.id, version: 1 });
      seen.add(body.created_at);
    }
    expect(seen.size).toBe(1);
    // Both instances answered: nginx balances round-robin, and each instance created its own
    // connection to Redis, so reading the instances directly must agree too.
    for (const instance of instances) {
      expect((await fetch(`${instance.url}/jobs/${job.id}`)).status).toBe(200);
    }
  });

  it('holds a long-poll for its whole wait, not cut short by the proxy', async () => {
    const job = await create(600_000);
    const started = Date.now();
    const res = await fetch(`${nginx?.url ?? ''}/jobs/${job.id}`, {
      headers: { prefer: 'wait=3', 'if-none-match': '"v1"' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=3');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('passes each event of a stream on at once, heartbeats included', async () => {
    const job = await create(600_000);
    const res = await fetch(`${nginx?.url ?? ''}/jobs/${job.id}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const started = Date.now();
    // The first event and a heartbeat (every 500 ms here): buffering would hold both back.
    while (!(text.includes('event: status') && text.includes(': heartbeat'))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(Date.now() - started).toBeLessThan(3000);
    await reader.cancel();
  });

  it('carries a wait to the job’s end through it', async () => {
    const client = new TranslationClient({ baseUrl: nginx?.url ?? '', logLevel: 'silent' });
    const job = await create(1500);
    const { status } = await client.waitForCompletion(job.id, { timeoutMs: 20_000 });
    expect(status).toMatchObject({ jobId: job.id, result: 'completed' });
  });
});
