/**
 * GET /jobs without ids: the newest jobs, as the dashboard lists them (the batch read by ids is tested
 * in app.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuildAppOptions } from '../app.js';
import { FakeClock } from '../domain/clock.js';
import type { JobResource } from '../protocol/job-resource.js';
import { LIST_LIMIT, parseListLimit } from './batch.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(options: BuildAppOptions = {}) {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 10));
  const app = await buildApp({ clock, logLevel: 'silent', delayMs: 10_000, ...options });
  apps.push(app);
  return { app, clock };
}

async function create(app: FastifyInstance, durationMs: number, outcome = 'completed'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/jobs',
    payload: {
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 30,
      simulate: { duration_ms: durationMs, outcome },
    },
  });
  return res.json<JobResource>().id;
}

type Listed = { jobs: { id: string; job: JobResource }[] };

describe('GET /jobs without ids', () => {
  it('lists the newest jobs first, each entry shaped like a batch entry', async () => {
    const { app, clock } = await setup();
    const first = await create(app, 1000);
    clock.advance(10);
    const second = await create(app, 60_000);
    const res = await app.inject('/jobs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['status-capabilities']).toBeDefined();
    const { jobs } = res.json<Listed>();
    expect(jobs.map((entry) => entry.id)).toEqual([second, first, app.defaultJobId]);
    expect(jobs[0]?.job).toMatchObject({ id: second, result: 'pending' });
  });

  it('keeps to limit, and filters by result', async () => {
    const { app, clock } = await setup();
    const done = await create(app, 100);
    const failed = await create(app, 100, 'error');
    await create(app, 60_000);
    clock.advance(1000);
    const two = (await app.inject('/jobs?limit=2')).json<Listed>();
    expect(two.jobs).toHaveLength(2);
    const completed = (await app.inject('/jobs?result=completed')).json<Listed>();
    expect(completed.jobs.map((entry) => entry.id)).toEqual([done]);
    const errors = (await app.inject('/jobs?result=error&limit=5')).json<Listed>();
    expect(errors.jobs.map((entry) => entry.id)).toEqual([failed]);
  });

  it.each([
    ['limit=0', "query.limit must be a whole number from 1 to 100, got '0'"],
    ['limit=101', "query.limit must be a whole number from 1 to 100, got '101'"],
    ['limit=ten', "query.limit must be a whole number from 1 to 100, got 'ten'"],
    ['result=done', 'querystring.result must be one of pending, completed, error'],
    ['ids=a&limit=5', 'they cannot be combined with query.ids'],
  ])('answers %s with a 400 that says what is wrong', async (query, message) => {
    const { app } = await setup();
    const res = await app.inject(`/jobs?${query}`);
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(message);
  });

  it('lists even when batch reads by id are off', async () => {
    const { app } = await setup({ batch: false });
    expect((await app.inject('/jobs')).statusCode).toBe(200);
    expect((await app.inject(`/jobs?ids=${app.defaultJobId}`)).statusCode).toBe(404);
  });
});

describe('parseListLimit', () => {
  it('takes every whole number from 1 to the maximum, and the default when absent', () => {
    expect(parseListLimit(undefined)).toBe(LIST_LIMIT.default);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LIST_LIMIT.max }), (n) => {
        expect(parseListLimit(String(n))).toBe(n);
      }),
    );
  });

  it('refuses anything else', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > LIST_LIMIT.max),
        (raw) => {
          expect(() => parseListLimit(raw)).toThrow(/query\.limit must be a whole number/);
        },
      ),
    );
  });
});
