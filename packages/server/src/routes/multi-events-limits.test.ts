/**
 * GET /events?ids= under the rules every held wait follows: the OpenAPI document, API keys, rate limits,
 * hold caps, graceful shutdown and metrics. Real sockets, generous bounds, no fixed sleeps.
 */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.js';
import { createJobOver, serversClosedAfterEach, until } from '../test-support/http.js';
import { endings, metric, readUntil } from '../test-support/sse.js';

const start = serversClosedAfterEach();

const createJob = async (server: RunningServer, durationMs: number): Promise<string> =>
  (await createJobOver(server, durationMs)).id;

const OPEN = 'translation_status_event_streams_open';

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('GET /events?ids= follows the rules of held waits', () => {
  it('is in the OpenAPI document with its query and Last-Event-ID', async () => {
    const server = await start();
    interface Operation {
      parameters: { in: string; name: string }[];
    }
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const names = doc.paths['/events']?.['get']?.parameters.map((p) => `${p.in}:${p.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['query:ids', 'query:versions', 'query:wake', 'header:last-event-id']),
    );
  });

  it('asks for an API key when keys are configured', async () => {
    const key = 'sk_test_multi_events';
    const server = await start({ apiKeys: [key] });
    const created = await fetch(`${server.url}/status`, { headers: { authorization: `Bearer ${key}` } });
    const { id } = (await created.json()) as { id: string };
    const refused = await fetch(`${server.url}/events?ids=${id}`);
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('unauthorized');
    const res = await fetch(`${server.url}/events?ids=${id}`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await res.body?.cancel();
  });

  it('counts against the rate limit like any request', async () => {
    const server = await start({ rateLimit: 2, rateLimitWindowMs: 600_000 });
    const id = await createJob(server, 600_000); // the POST takes one of the two
    const res = await fetch(`${server.url}/events?ids=${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toMatch(/r=0/);
    await res.body?.cancel();
    const limited = await fetch(`${server.url}/events?ids=${id}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    expect(await errorCode(limited)).toBe('rate_limited');
  });

  it('takes one hold slot per stream, whatever its number of jobs, and gives it back when it ends', async () => {
    const server = await start({ maxHeldPerClient: 1 });
    const ids = [await createJob(server, 600_000), await createJob(server, 600_000)];
    const open = await fetch(`${server.url}/events?ids=${ids.join(',')}&wake=result`);
    const reading = readUntil(open);
    await until(async () => (await metric(server, OPEN)) === 1);
    const second = await fetch(`${server.url}/events?ids=${ids[0] ?? ''}`);
    expect(second.status).toBe(429);
    expect(await errorCode(second)).toBe('rate_limited');
    const poll = await fetch(`${server.url}/jobs/${ids[0] ?? ''}`, { headers: { prefer: 'wait=5' } });
    expect(poll.status).toBe(429);
    await poll.body?.cancel();
    for (const id of ids) await fetch(`${server.url}/jobs/${id}`, { method: 'DELETE' });
    expect(endings(await reading)).toEqual(ids);
    await until(async () => (await metric(server, OPEN)) === 0);
    const fresh = await fetch(`${server.url}/events?ids=${await createJob(server, 600_000)}`);
    expect(fresh.status).toBe(200);
    await fresh.body?.cancel();
  });

  it('answers 503 beyond the server-wide hold cap', async () => {
    const server = await start({ maxHeldRequests: 1 });
    const id = await createJob(server, 600_000);
    const open = await fetch(`${server.url}/events?ids=${id}`);
    await until(async () => (await metric(server, OPEN)) === 1);
    const refused = await fetch(`${server.url}/events?ids=${id}`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    await refused.body?.cancel();
    await open.body?.cancel();
  });

  it('ends at shutdown after the first states, without waiting for its jobs', async () => {
    const server = await start();
    const ids = [await createJob(server, 600_000), await createJob(server, 600_000)];
    const reading = readUntil(await fetch(`${server.url}/events?ids=${ids.join(',')}`));
    await until(async () => (await metric(server, OPEN)) === 1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    const events = await reading;
    expect(events.slice(0, 2).map((e) => e.data.id)).toEqual(ids);
    expect(endings(events)).toEqual([]);
  });

  it('is counted in the metrics: open streams while open, then a request on route /events', async () => {
    const server = await start();
    const id = await createJob(server, 300);
    const reading = readUntil(await fetch(`${server.url}/events?ids=${id}`));
    await until(async () => (await metric(server, OPEN)) === 1);
    expect(endings(await reading)).toEqual([id]);
    await until(async () => (await metric(server, OPEN)) === 0);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain(
      'translation_status_http_requests_total{method="GET",route="/events",status_code="200"} 1',
    );
  });
});
