import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildAppOptions } from '../app.js';
import { buildApp } from '../app.js';
import { FakeClock } from '../domain/clock.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(options: BuildAppOptions) {
  const clock = new FakeClock(0);
  const app = await buildApp({ clock, logLevel: 'silent', ...options });
  apps.push(app);
  return { app, clock };
}

describe('fault injection over HTTP', () => {
  it('answers 500 or 503 (with Retry-After) at faultErrorRate 1, in the error shape', async () => {
    const { app } = await setup({ faultErrorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const res = await app.inject(i % 2 === 0 ? '/status' : `/jobs/${app.defaultJobId}`);
      statuses.add(res.statusCode);
      const code = res.statusCode === 500 ? 'internal_error' : 'unavailable';
      expect(res.json()).toEqual({ error: { code, message: expect.any(String) as string } });
      if (res.statusCode === 503) expect(res.headers['retry-after']).toBe('1');
      expect(res.body).not.toContain('at ');
    }
    expect([...statuses].sort()).toEqual([500, 503]);
  });

  it('answers 429 with Retry-After at faultThrottleRate 1, batch included', async () => {
    const { app } = await setup({ faultThrottleRate: 1 });
    for (const url of ['/status', `/jobs/${app.defaultJobId}`, `/jobs?ids=${app.defaultJobId}`]) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
    }
  });

  it('adds latency on the injected clock', async () => {
    const { app, clock } = await setup({ faultLatencyMs: 1000 });
    const state = { answered: false };
    const pending = app.inject('/status').then((r) => {
      state.answered = true;
      return r;
    });
    // Step fake time until the answer comes; it must take at least the added latency.
    let advanced = 0;
    const settle = () => new Promise((r) => setImmediate(r));
    for (await settle(); !state.answered && advanced < 5000; await settle()) {
      clock.advance(100);
      advanced += 100;
    }
    expect((await pending).statusCode).toBe(200);
    expect(advanced).toBeGreaterThanOrEqual(1000);
    expect(advanced).toBeLessThan(2000);
  });

  it('leaves POST /jobs, /healthz and /metrics alone', async () => {
    const { app } = await setup({ faultErrorRate: 0.5, faultThrottleRate: 0.5 });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { source_language: 'en', target_language: 'es', video_duration_seconds: 5 },
    });
    expect(res.statusCode).toBe(201);
  });

  it('injects faults at roughly the configured rate', async () => {
    const { app } = await setup({ faultErrorRate: 0.25 });
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await app.inject('/status')).statusCode >= 500) failed++;
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(80);
  });
});
