/**
 * The two caps on `Prefer: wait`: `--max-wait` for holds that wake at every change, the longer
 * `--max-result-wait` for holds that wake only on the ending (`wake=result`), on single and batch reads.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuildAppOptions } from '../app.js';
import { FakeClock } from '../domain/clock.js';
import type { JobResource } from '../protocol/job-resource.js';
import { held } from '../test-support/http.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(options: BuildAppOptions = {}) {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 18));
  const app = await buildApp({
    clock,
    logLevel: 'silent',
    delayMs: 1_000_000,
    maxWaitSeconds: 2,
    maxResultWaitSeconds: 20,
    ...options,
  });
  apps.push(app);
  return { app, clock };
}

/** Whether `pending` has settled after the event loop has had its turns. */
async function settled(pending: Promise<unknown>): Promise<boolean> {
  let done = false;
  void pending.then(() => (done = true));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('the caps of Prefer: wait', () => {
  it('announces both caps in Status-Capabilities', async () => {
    const { app } = await setup();
    const res = await app.inject('/status');
    expect(res.headers['status-capabilities']).toMatch(/^long-poll; max-wait=2; max-result-wait=20,/);
  });

  it('holds a wake=result read past max-wait, up to max-result-wait', async () => {
    const { app, clock } = await setup();
    const pending = app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=600' } });
    await held(app);
    clock.advance(2000);
    expect(await settled(pending)).toBe(false);
    clock.advance(18_000);
    const res = await pending;
    expect(res.headers['preference-applied']).toBe('wait=20');
    expect(res.json<JobResource>().result).toBe('pending');
  });

  it('applies a shorter ask as it is', async () => {
    const { app, clock } = await setup();
    const pending = app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=7' } });
    await held(app);
    clock.advance(7000);
    expect((await pending).headers['preference-applied']).toBe('wait=7');
  });

  it('keeps max-wait for a hold that wakes at every change', async () => {
    const { app, clock } = await setup();
    const pending = app.inject({ url: '/status?wake=change', headers: { prefer: 'wait=600' } });
    await held(app);
    clock.advance(2000);
    expect((await pending).headers['preference-applied']).toBe('wait=2');
  });

  it('holds a wake=result batch up to max-result-wait, and a wake=change one up to max-wait', async () => {
    const { app, clock } = await setup();
    const ids = app.defaultJobId;
    const endings = app.inject({ url: `/jobs?ids=${ids}&wake=result`, headers: { prefer: 'wait=600' } });
    const changes = app.inject({ url: `/jobs?ids=${ids}`, headers: { prefer: 'wait=600' } });
    await held(app, 2);
    clock.advance(2000);
    expect((await changes).headers['preference-applied']).toBe('wait=2');
    expect(await settled(endings)).toBe(false);
    clock.advance(18_000);
    expect((await endings).headers['preference-applied']).toBe('wait=20');
  });

  it('answers a long wake=result hold at once when the job ends, and when the app closes', async () => {
    const { app, clock } = await setup({ delayMs: 10_000 });
    const ending = app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=20' } });
    await held(app);
    clock.advance(10_000);
    expect((await ending).json<JobResource>().result).toBe('completed');

    const other = await setup();
    const closing = other.app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=20' } });
    await held(other.app);
    await other.app.close();
    const res = await closing;
    expect(res.json<JobResource>().result).toBe('pending');
    expect(res.headers['poll-after-ms']).toBe('100');
  });

  it('counts a wake=result hold against the hold caps like any other', async () => {
    const { app, clock } = await setup({ maxHeldRequests: 1 });
    const first = app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=20' } });
    await held(app);
    const second = await app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=20' } });
    expect(second.statusCode).toBe(503);
    clock.advance(20_000);
    expect((await first).statusCode).toBe(200);
  });

  it('documents both caps in the OpenAPI document', async () => {
    const { app } = await setup();
    const doc = (await app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(JSON.stringify(doc.paths['/status'])).toContain('max-result-wait with wake=result');
  });
});
