/** Real-socket tests: the wire behaviour inject cannot show. Generous bounds, no fixed sleeps. */
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { JobResource } from './protocol/job-resource.js';
import type { RunningServer } from './server.js';
import { systemClock } from './domain/clock.js';
import type { JobStore } from './domain/store.js';
import { InMemoryJobStore } from './domain/memory-store.js';
import { serversClosedAfterEach } from './test-support/http.js';
import { storeOver } from './test-support/stores.js';

const start = serversClosedAfterEach();

async function createJob(server: RunningServer, durationMs: number): Promise<JobResource> {
  const res = await fetch(`${server.url}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source_language: 'en',
      target_language: 'de',
      video_duration_seconds: 30,
      simulate: { duration_ms: durationMs },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JobResource;
}

/** Polls `check` every 20 ms until it holds, failing after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

async function readAll(res: Response): Promise<string> {
  return await res.text();
}

/** A raw request whose socket the test can destroy (fetch's abort may leave the socket open). */
function rawGet(url: string, headers: Record<string, string> = {}) {
  const req = httpRequest(url, { headers, agent: false });
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  req.on('error', () => undefined);
  req.end();
  return { response, disconnect: () => req.destroy() };
}

describe('real sockets', () => {
  it('prints a usable URL and serves the classic GET /status', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/status`);
    expect(((await res.json()) as JobResource).result).toBe('pending');
  });

  it('holds a long-poll and releases it when the stage changes', async () => {
    const server = await start();
    const job = await createJob(server, 2000); // queued ends at 100 ms
    const started = Date.now();
    const res = await fetch(`${server.url}/jobs/${job.id}`, {
      headers: { prefer: 'wait=20', 'if-none-match': '"v1"' },
    });
    const body = (await res.json()) as JobResource;
    expect(res.headers.get('preference-applied')).toBe('wait=20');
    expect(body.version).toBeGreaterThan(1);
    expect(res.headers.get('etag')).toBe(`"v${body.version}"`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('releases the waiter at once when the client disconnects', async () => {
    const server = await start();
    const held = rawGet(`${server.url}/status`, { prefer: 'wait=30' });
    await eventually(async () => (await metric(server, 'translation_status_long_polls_held')) === 1);
    const started = Date.now();
    held.disconnect();
    await eventually(async () => (await metric(server, 'translation_status_long_polls_held')) === 0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.store.subscriptionCount).toBe(0);
  });

  /** A store behind a network: no `peek`, and every read of one job takes 200 ms. */
  function slowStore(): { store: JobStore; started: () => number; reads: () => number } {
    const inner = new InMemoryJobStore({
      clock: systemClock,
      model: { timeScale: 1, errorRate: 0, etaError: 0.15 },
      seed: 3,
    });
    let started = 0;
    let reads = 0;
    const store = storeOver(inner, {
      get: async (id) => {
        started += 1;
        await new Promise((r) => setTimeout(r, 200));
        reads += 1;
        return inner.get(id);
      },
    });
    return { store, started: () => started, reads: () => reads };
  }

  it.each([
    ['a long-poll', '/status', { prefer: 'wait=30' }, 'translation_status_long_polls_held'],
    ['an event stream', '/jobs/ID/events', {}, 'translation_status_event_streams_open'],
  ])('frees %s whose client left while the job was being read', async (_name, path, headers, gauge) => {
    const { store, started, reads } = slowStore();
    const server = await start({ store });
    const gone = rawGet(`${server.url}${path.replace('ID', server.app.defaultJobId)}`, headers);
    await eventually(() => Promise.resolve(started() >= 1));
    gone.disconnect(); // during the 200 ms read: the hold starts after 'close' has been and gone
    await eventually(() => Promise.resolve(reads() >= 1));
    // Freed at once, not when the wait (30 s) or the job runs out.
    await eventually(async () => (await metric(server, gauge)) === 0 && store.subscriptionCount === 0, 2000);
  });

  it('streams SSE: retry first, one status event per change with its version, then ends', async () => {
    const server = await start();
    const job = await createJob(server, 600);
    const res = await fetch(`${server.url}/jobs/${job.id}/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('status-capabilities')).toContain('events; heartbeat-ms=15000');
    const text = await readAll(res);
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: status'))
      .map((block) => {
        const [event, id, data, ...rest] = block.split('\n');
        expect(event).toBe('event: status');
        expect(rest).toEqual([]);
        const parsed = JSON.parse((data ?? '').replace(/^data: /, '')) as JobResource;
        expect(id).toBe(`id: ${parsed.version}`);
        return parsed;
      });
    const versions = events.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(events.at(-1)).toMatchObject({ result: 'completed', stage: 'done', version: 7 });
    expect(await metric(server, 'translation_status_event_streams_open')).toBe(0);

    // Reconnecting after the terminal event: nothing new, and 204 stops EventSource.
    const again = await fetch(`${server.url}/jobs/${job.id}/events`, { headers: { 'last-event-id': '7' } });
    expect(again.status).toBe(204);
  });

  it('a cancel ends an open event stream at once with the canceled event', async () => {
    const server = await start();
    const job = await createJob(server, 600_000);
    const res = await fetch(`${server.url}/jobs/${job.id}/events`);
    const text = readAll(res);
    await eventually(async () => (await metric(server, 'translation_status_event_streams_open')) === 1);
    const canceled = await fetch(`${server.url}/jobs/${job.id}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    const last = (await text).trim().split('\n\n').at(-1) ?? '';
    expect(last).toContain('id: 2');
    expect(JSON.parse(last.split('data: ')[1] ?? '')).toMatchObject({ result: 'error', stage: 'canceled' });
    expect(await metric(server, 'translation_status_event_streams_open')).toBe(0);
  });

  it('honours Last-Event-ID and sends heartbeats; works for the default job', async () => {
    const server = await start({ heartbeatMs: 50 });
    const stream = rawGet(`${server.url}/jobs/${server.app.defaultJobId}/events`, { 'last-event-id': '1' });
    const res = await stream.response;
    let text = '';
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes(': heartbeat\n\n')) resolve();
      });
    });
    // The default job is still at version 1, which the client said it has: only retry and heartbeats.
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);
    expect(text).not.toContain('event: status');
    expect(await metric(server, 'translation_status_event_streams_open')).toBe(1);
    stream.disconnect();
    await eventually(async () => (await metric(server, 'translation_status_event_streams_open')) === 0);
    expect(server.store.subscriptionCount).toBe(0);
  });

  it('drops connections when asked to (faultDropRate 1), on status and event routes', async () => {
    const server = await start({ faultDropRate: 1 });
    await expect(fetch(`${server.url}/status`)).rejects.toThrow();
    await expect(fetch(`${server.url}/jobs/${server.app.defaultJobId}/events`)).rejects.toThrow();
    // Job creation is not a status route and is never faulted.
    await createJob(server, 1000);
  });

  it('answers hung requests with 503 at shutdown, and close() resolves', async () => {
    const server = await start({ faultHangRate: 1 });
    let settled = false;
    const hung = fetch(`${server.url}/status`).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    await server.close();
    const res = await hung;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  });

  it('shuts down gracefully: held long-polls get the current state, event streams end', async () => {
    const server = await start();
    const poll = fetch(`${server.url}/status`, { headers: { prefer: 'wait=30' } });
    const stream = fetch(`${server.url}/jobs/${server.app.defaultJobId}/events`);
    await eventually(async () => (await metric(server, 'translation_status_long_polls_held')) === 1);
    await eventually(async () => (await metric(server, 'translation_status_event_streams_open')) === 1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    const answered = await poll;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as JobResource).result).toBe('pending');
    // The job is a minute from its end, but a released wait asks again at once, not near the ETA.
    expect(answered.headers.get('poll-after-ms')).toBe('100');
    expect(answered.headers.get('retry-after')).toBe('1');
    const text = await (await stream).text();
    expect(text).toContain('event: status');
    await expect(fetch(`${server.url}/status`)).rejects.toThrow();
  });
});
