/**
 * How the client treats secrets, rate limits, extreme Retry-After values and stale events, against a
 * real server (or a tiny scripted one where the server cannot misbehave on cue).
 */
import type { Logger, RetryEvent } from '@translation-status/client';
import { TranslationClient } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosProxy } from './chaos-proxy.js';
import { planJobs, startBackend } from './support.js';

const KEY = 'sk_test_do_not_log_4f1c9e';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function backend(options: Parameters<typeof startBackend>[0] = {}): Promise<RunningServer> {
  const server = await startBackend(options);
  closers.push(() => server.close());
  return server;
}

function capturingLogger(lines: string[]): Logger {
  const record =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push(`${level} ${message ?? ''} ${JSON.stringify(fields)}`);
    };
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

describe('the client and secrets', () => {
  it('never logs its API key, nor puts it in an error, while requests fail and retry', async () => {
    const server = await backend({ apiKeys: [KEY], faultErrorRate: 0.5, seed: 3 });
    const [job] = await planJobs(server, 1, { minMs: 300, maxMs: 301, errorShare: 0 });
    const lines: string[] = [];
    const client = new TranslationClient({
      baseUrl: server.url,
      apiKey: KEY,
      logger: capturingLogger(lines),
      logLevel: 'debug',
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 50 },
    });
    await client.waitForCompletion(job?.id, { timeoutMs: 10_000, transport: 'poll' });
    const wrong = new TranslationClient({
      baseUrl: server.url,
      apiKey: `${KEY}-revoked`,
      logger: capturingLogger(lines),
      logLevel: 'debug',
    });
    const error: unknown = await wrong.getStatus(job?.id).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(401);
    // A server that always fails makes sure retries are logged, whatever the timing of the run above.
    const failing = await backend({ apiKeys: [KEY], faultErrorRate: 1, seed: 3 });
    const exhausted: unknown = await new TranslationClient({
      baseUrl: failing.url,
      apiKey: KEY,
      logger: capturingLogger(lines),
      logLevel: 'debug',
    })
      .getStatus(undefined, { retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 20 } })
      .catch((e: unknown) => e);
    expect((exhausted as { code?: string }).code).toBe('retries_exhausted');
    expect(lines.some((line) => line.includes('retrying'))).toBe(true); // the failures were logged
    const everything = [
      ...lines,
      ...[error, exhausted].flatMap((e) => [String(e), JSON.stringify(e), (e as Error).stack ?? '']),
    ].join('\n');
    expect(everything).not.toContain(KEY);
  });
});

describe('the client and rate limits', () => {
  it('honours a 429 with Retry-After from the rate limiter: waits, then succeeds', async () => {
    const server = await backend({ rateLimit: 2, rateLimitWindowMs: 1000 });
    const [job] = await planJobs(server, 1, { minMs: 0, maxMs: 1, errorShare: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const client = new TranslationClient({ baseUrl: server.url, logLevel: 'silent' });
    const retries: RetryEvent[] = [];
    const started = Date.now();
    // Five requests where two per window pass: even if they straddle a window's end (the windows are
    // fixed, a busy machine may spread the requests), at least one meets a 429.
    for (let i = 0; i < 5; i++) {
      const done = await client.waitForCompletion(job?.id, { onRetry: (e) => retries.push(e) });
      expect(done.status.result).toBe('completed');
    }
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect((retries[0]?.error as { status?: number }).status).toBe(429);
    // The retry came after the window the server named, not before.
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('the client and extreme Retry-After values', () => {
  it('a Retry-After past the deadline ends the wait as a timeout at its deadline, not later', async () => {
    const server = await backend();
    const [job] = await planJobs(server, 1, { minMs: 60_000, maxMs: 60_001 });
    const proxy = new ChaosProxy({ target: server.url, faultRate: 1, seed: 1, retryAfter: ['86400'] });
    await proxy.listen();
    closers.push(() => proxy.close());
    const client = new TranslationClient({ baseUrl: proxy.url, logLevel: 'silent', requestTimeoutMs: 1000 });
    const started = Date.now();
    const error: unknown = await client
      .waitForCompletion(job?.id, { timeoutMs: 1500, transport: 'poll' })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect((error as { code?: string }).code).toBe('wait_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(1495);
    expect(elapsed).toBeLessThan(1500 + 1000 + 2000);
  });
});

describe('the client and stale events', () => {
  let scripted: Server | undefined;
  afterEach(async () => {
    const s = scripted;
    scripted = undefined;
    if (s !== undefined) await new Promise((resolve) => s.close(resolve));
  });

  const job = (version: number, stage: string, result = 'pending') => ({
    id: 'j',
    result,
    stage,
    progress: version / 10,
    version,
  });

  it('ignores an event older than the newest one seen (progress never goes back)', async () => {
    scripted = createServer((req, res) => {
      if (req.url === '/jobs/j') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'status-capabilities': 'events',
          link: '</jobs/j/events>; rel="events"',
        });
        res.end(JSON.stringify(job(1, 'queued')));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of [job(3, 'translating'), job(2, 'transcribing'), job(4, 'done', 'completed')]) {
        res.write(`event: status\nid: ${event.version}\ndata: ${JSON.stringify(event)}\n\n`);
      }
      res.end();
    });
    await new Promise<void>((resolve) => scripted?.listen(0, '127.0.0.1', resolve));
    const { port } = scripted.address() as AddressInfo;
    const client = new TranslationClient({ baseUrl: `http://127.0.0.1:${port}`, logLevel: 'silent' });
    const versions: (number | undefined)[] = [];
    await client.waitForCompletion('j', { onStatus: (status) => versions.push(status.version) });
    expect(versions).toEqual([...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });
});
