/** Small helpers for tests of a running server over real sockets. */
import { afterEach } from 'vitest';
import type { BuildAppOptions } from '../app.js';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { RunningServer } from '../server.js';
import { startServer } from '../server.js';

/**
 * For one test file: a `start` that runs a server on a free port (log level silent, the default job a
 * minute long, then `options`), every one of them closed after each test.
 */
export function serversClosedAfterEach(): (options?: BuildAppOptions) => Promise<RunningServer> {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const server = await startServer({ port: 0, logLevel: 'silent', delayMs: 60_000, ...options });
    servers.push(server);
    return server;
  };
}

/**
 * `POST /jobs` of a simulated job lasting `durationMs`, with `fields` added to the body; throws unless
 * the server answers 201.
 */
export async function createJobOver(
  server: RunningServer,
  durationMs: number,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; version: number }> {
  const res = await fetch(`${server.url}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 10,
      lip_sync: false,
      simulate: { duration_ms: durationMs },
      ...fields,
    }),
  });
  if (res.status !== 201) throw new Error(`POST /jobs answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; version: number };
}

/** Polls `check` every 20 ms until it holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lets a request reach its hold: resolves once the store has `n` subscriptions (no fixed sleep). */
export async function held(app: FastifyInstance, n = 1): Promise<void> {
  for (let i = 0; i < 10_000 && app.jobStore.subscriptionCount < n; i++) {
    await new Promise((r) => setImmediate(r));
  }
  expect(app.jobStore.subscriptionCount).toBeGreaterThanOrEqual(n);
}
