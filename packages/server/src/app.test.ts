import type { FastifyInstance } from 'fastify';
import type * as LightMyRequest from 'light-my-request';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildAppOptions } from './app.js';
import { buildApp } from './app.js';
import { FakeClock } from './domain/clock.js';
import type { JobResource } from './protocol/job-resource.js';
import { SECURITY_HEADERS } from './http/security-headers.js';
import { InMemoryJobStore } from './domain/memory-store.js';
import { held } from './test-support/http.js';
import { storeOver } from './test-support/stores.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(options: BuildAppOptions = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
  const app = await buildApp({ clock, logLevel: 'silent', delayMs: 10_000, ...options });
  apps.push(app);
  return { app, clock };
}

const validBody = { source_language: 'en', target_language: 'es', video_duration_seconds: 90 };

function expectErrorShape(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) as string } });
}

describe('GET /status', () => {
  it('answers the default job with hints, capabilities, ETag and Link', async () => {
    const { app } = await setup();
    const res = await app.inject('/status');
    expect(res.statusCode).toBe(200);
    const job = res.json<JobResource>();
    expect(job).toMatchObject({ id: app.defaultJobId, result: 'pending', stage: 'queued', version: 1 });
    expect(res.headers['etag']).toBe('"v1"');
    expect(res.headers['status-capabilities']).toBe(
      'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, batch, multi-events; max-ids=100',
    );
    expect(res.headers['link']).toBe(`</jobs/${job.id}/events>; rel="events"; type="text/event-stream"`);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['poll-after-ms'])).toBeGreaterThanOrEqual(100);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(job.completed_at).toBeNull();
    expect(job.eta_ms).toBeGreaterThan(0);
    expect(Object.keys(job)).toEqual([
      'id',
      'result',
      'stage',
      'progress',
      'source_language',
      'target_language',
      'video_duration_seconds',
      'lip_sync',
      'created_at',
      'updated_at',
      'completed_at',
      'version',
      'eta_ms',
    ]);
  });

  it('answers HEAD like GET, without a body', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'HEAD', url: '/status' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['etag']).toBe('"v1"');
    expect(res.body).toBe('');
  });

  it('completes after `delay` ms and then carries no poll hints', async () => {
    const { app, clock } = await setup();
    clock.advance(9_999);
    expect((await app.inject('/status')).json<JobResource>().result).toBe('pending');
    clock.advance(1);
    const res = await app.inject('/status');
    expect(res.json<JobResource>()).toMatchObject({ result: 'completed', stage: 'done', progress: 1 });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.headers['poll-after-ms']).toBeUndefined();
  });

  it('fails the default job when errorRate is 1', async () => {
    const { app, clock } = await setup({ errorRate: 1 });
    clock.advance(10_000);
    const job = (await app.inject('/status')).json<JobResource>();
    expect(job.result).toBe('error');
    expect(job.error?.code).toEqual(expect.any(String));
  });

  it('answers any job by job_id, and 404 for an unknown one', async () => {
    const { app } = await setup();
    const created = (
      await app.inject({ method: 'POST', url: '/jobs', payload: validBody })
    ).json<JobResource>();
    expect((await app.inject(`/status?job_id=${created.id}`)).json<JobResource>().id).toBe(created.id);
    const missing = await app.inject('/status?job_id=job_nope');
    expect(missing.statusCode).toBe(404);
    expectErrorShape(missing.json(), 'job_not_found');
    expect(missing.json<{ error: { message: string } }>().error.message).toContain('job_nope');
  });
});

describe('reads answered synchronously (a store that can peek) or awaited', () => {
  /** Two apps on one clock with identical stores, one of them unable to peek. */
  async function twins() {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const stores = [0, 1].map((n) => {
      let next = 0;
      const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
      return new InMemoryJobStore({ clock, model, seed: 7, newId: () => `job_${n}${++next}` });
    });
    const [peeking, awaited] = stores as [InMemoryJobStore, InMemoryJobStore];
    const apps = await Promise.all(
      [peeking, storeOver(awaited)].map((store) =>
        setup({ clock, store, delayMs: 10_000 }).then((s) => s.app),
      ),
    );
    return { clock, apps: apps as [FastifyInstance, FastifyInstance] };
  }

  /** Headers minus the ones that name the connection or the time of sending. */
  function protocolHeaders(res: { headers: Record<string, unknown> }): Record<string, unknown> {
    const { date: _date, connection: _connection, ...rest } = res.headers;
    return rest;
  }

  it.each(['/status', '/jobs/ID'])(
    'GET %s carries every protocol and security header either way, with the same body',
    async (path) => {
      const { apps } = await twins();
      const answers = await Promise.all(apps.map((app) => app.inject(path.replace('ID', app.defaultJobId))));
      const [fast, slow] = answers as [LightMyRequest.Response, LightMyRequest.Response];
      expect(fast.statusCode).toBe(200);
      expect(protocolHeaders(fast)).toMatchObject({
        etag: '"v1"',
        'cache-control': 'no-store',
        'status-capabilities':
          'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, batch, multi-events; max-ids=100',
        link: `</jobs/${fast.json<JobResource>().id}/events>; rel="events"; type="text/event-stream"`,
        'retry-after': expect.stringMatching(/^\d+$/) as string,
        'poll-after-ms': expect.stringMatching(/^\d+$/) as string,
        'content-type': 'application/json; charset=utf-8',
        ...SECURITY_HEADERS,
      });
      // Same store seed, same clock: the same job, hints included, whichever way it was read.
      const sameId = (r: LightMyRequest.Response) =>
        JSON.parse(r.body.replaceAll(/job_[01]/g, 'job_')) as unknown;
      const headersOf = (r: LightMyRequest.Response) =>
        JSON.parse(JSON.stringify(protocolHeaders(r)).replaceAll(/job_[01]/g, 'job_')) as unknown;
      expect(sameId(slow)).toEqual(sameId(fast));
      expect(headersOf(slow)).toEqual(headersOf(fast));
    },
  );

  it('answers a finished job without poll hints, and an unknown id with 404, either way', async () => {
    const { apps, clock } = await twins();
    clock.advance(10_000);
    for (const app of apps) {
      const done = await app.inject('/status');
      expect(done.json<JobResource>().result).toBe('completed');
      expect(done.headers['retry-after']).toBeUndefined();
      expect(done.headers['poll-after-ms']).toBeUndefined();
      expect(done.headers['etag']).toBe(`"v${done.json<JobResource>().version}"`);
      const missing = await app.inject('/jobs/job_missing');
      expect(missing.statusCode).toBe(404);
      expectErrorShape(missing.json(), 'job_not_found');
      expect(missing.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('holds and then answers a long-poll either way', async () => {
    const { apps, clock } = await twins();
    const pending = apps.map((app) => app.inject({ url: '/status', headers: { prefer: 'wait=20' } }));
    for (const app of apps) await held(app);
    clock.advance(500);
    for (const res of await Promise.all(pending)) {
      expect(res.headers['preference-applied']).toBe('wait=20');
      expect(res.headers['etag']).toBe('"v2"');
      expect(res.json<JobResource>()).toMatchObject({ stage: 'transcribing', version: 2 });
    }
  });

  it('catches a change that lands between the read and the hold, either way', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
    for (const canPeek of [true, false]) {
      const inner = new InMemoryJobStore({ clock, model, seed: 7 });
      const stale = new Map<string, JobResource | undefined>();
      // The first read of a job answers as of before the clock moved on: the job changes in between.
      const first = (id: string): JobResource | undefined => {
        if (!stale.has(id)) return inner.peek(id);
        const job = stale.get(id);
        stale.delete(id);
        return job;
      };
      const lagging = storeOver(inner, {
        get: (id) => Promise.resolve(first(id)),
        ...(canPeek ? { peek: first } : {}),
      });
      const { app } = await setup({ clock, store: lagging });
      stale.set(app.defaultJobId, inner.peek(app.defaultJobId)); // version 1
      clock.advance(500); // queued -> transcribing: version 2
      const res = await app.inject({ url: '/status', headers: { prefer: 'wait=20' } }); // clock stays put
      expect(res.json<JobResource>(), `peek: ${canPeek}`).toMatchObject({ version: 2 });
      expect(app.jobStore.subscriptionCount).toBe(0);
    }
  });

  it('answers 404 when the job is gone by the time its hold ends, either way', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
    for (const canPeek of [true, false]) {
      const inner = new InMemoryJobStore({ clock, model, seed: 7 });
      let gone = false;
      const forgetful = storeOver(inner, {
        get: (id) => (gone ? Promise.resolve(undefined) : inner.get(id)),
        ...(canPeek ? { peek: (id: string) => (gone ? undefined : inner.peek(id)) } : {}),
        // A gone job tells no more changes, so the hold ends at its deadline and reads the job again.
        subscribe: (id, listener) =>
          inner.subscribe(id, (job) => {
            if (!gone) listener(job);
          }),
      });
      const { app } = await setup({ clock, store: forgetful });
      const pending = app.inject({ url: '/status', headers: { prefer: 'wait=20' } });
      await held(app);
      gone = true;
      clock.advance(20_000);
      const res = await pending;
      expect(res.statusCode, `peek: ${canPeek}`).toBe(404);
      expectErrorShape(res.json(), 'job_not_found');
      expect(app.jobStore.subscriptionCount).toBe(0);
    }
  });
});

describe('a hold woken by a change', () => {
  it('answers the job the store told it of, without reading it again', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const inner = new InMemoryJobStore({
      clock,
      model: { timeScale: 1, errorRate: 0, etaError: 0.15 },
      seed: 7,
    });
    let reads = 0;
    const counting = storeOver(inner, {
      get: (id) => {
        reads++;
        return inner.get(id);
      },
    });
    const { app } = await setup({ clock, store: counting });
    const pending = app.inject({ url: '/status', headers: { prefer: 'wait=20' } });
    await held(app);
    const before = reads;
    clock.advance(500); // queued -> transcribing: version 2
    const res = await pending;
    expect(res.json<JobResource>()).toMatchObject({ version: 2 });
    expect(reads).toBe(before);
  });
});

describe('a store failing while a hold starts', () => {
  it('answers 500 and frees the hold at once', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const inner = new InMemoryJobStore({
      clock,
      model: { timeScale: 1, errorRate: 0, etaError: 0.15 },
      seed: 7,
    });
    let peeks = 0;
    const failing = storeOver(inner, {
      // The read before the hold works; the re-read once it listens fails, as a broken backend would.
      peek: (id: string) => {
        if (++peeks > 1) throw new Error('backend unavailable');
        return inner.peek(id);
      },
    });
    const { app } = await setup({ clock, store: failing });
    const res = await app.inject({ url: '/status', headers: { prefer: 'wait=20' } });
    expect(res.statusCode).toBe(500);
    expect(app.jobStore.subscriptionCount).toBe(0);
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toMatch(/^translation_status_long_polls_held 0$/m);
  });
});

describe('POST /jobs', () => {
  it('creates a job: 201, Location and the resource', async () => {
    const { app } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { ...validBody, lip_sync: false },
    });
    expect(res.statusCode).toBe(201);
    const job = res.json<JobResource>();
    expect(res.headers['location']).toBe(`/jobs/${job.id}`);
    expect(job).toMatchObject({
      result: 'pending',
      lip_sync: false,
      source_language: 'en',
      video_duration_seconds: 90,
    });
    expect(job.eta_ms).toBeGreaterThan(0);
  });

  it('defaults lip_sync to true and honours simulate', async () => {
    const { app, clock } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { ...validBody, simulate: { duration_ms: 3000, error_code: 'lip_sync_failed' } },
    });
    const job = res.json<JobResource>();
    expect(job.lip_sync).toBe(true);
    clock.advance(3000);
    const done = (await app.inject(`/jobs/${job.id}`)).json<JobResource>();
    expect(done).toMatchObject({
      result: 'error',
      stage: 'failed',
      error: { code: 'lip_sync_failed', message: 'No face was found in 40% of frames' },
    });
  });

  it('names every bad field and why in one 400', async () => {
    const { app } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: {
        source_language: 'english!',
        video_duration_seconds: 0,
        lip_sync: 'yes',
        extra: 1,
        simulate: { outcome: 'maybe', duration_ms: -1 },
      },
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'invalid_request');
    const message = res.json<{ error: { message: string } }>().error.message;
    for (const part of [
      "body.source_language must be a language code like 'en' or 'pt-BR'",
      'body.target_language is required',
      'body.video_duration_seconds must be greater than 0',
      'body.lip_sync must be a boolean',
      'body.extra is not a known field',
      'body.simulate.outcome must be one of completed, error',
      'body.simulate.duration_ms must be at least 0',
    ]) {
      expect(message).toContain(part);
    }
  });

  it.each([
    [{ ...validBody, video_duration_seconds: 14_401 }, 'body.video_duration_seconds must be at most 14400'],
    [{ ...validBody, video_duration_seconds: '90' }, 'body.video_duration_seconds must be a number'],
    [{ ...validBody, target_language: 'EN', source_language: 'en' }, 'must differ'],
    [{ ...validBody, lip_sync: false, simulate: { error_code: 'lip_sync_failed' } }, 'needs body.lip_sync'],
    [{ ...validBody, simulate: { outcome: 'completed', error_code: 'render_failed' } }, 'only allowed'],
  ])('rejects %j', async (payload, expected) => {
    const { app } = await setup();
    const res = await app.inject({ method: 'POST', url: '/jobs', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain(expected);
  });

  it('accepts region subtags like pt-BR and the 4-hour maximum', async () => {
    const { app } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { source_language: 'pt-BR', target_language: 'zh-Hant', video_duration_seconds: 14_400 },
    });
    expect(res.statusCode).toBe(201);
  });

  it('answers 400 for malformed or empty JSON, 415 for other types, 413 for big bodies', async () => {
    const { app } = await setup({ bodyLimitBytes: 256 });
    const bad = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'invalid_request');
    const empty = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expectErrorShape(empty.json(), 'invalid_request');
    const text = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(415);
    expectErrorShape(text.json(), 'unsupported_media_type');
    const big = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { ...validBody, pad: 'x'.repeat(1000) },
    });
    expect(big.statusCode).toBe(413);
    expectErrorShape(big.json(), 'payload_too_large');
    const none = await app.inject({ method: 'POST', url: '/jobs' });
    expect(none.statusCode).toBe(400);
    expectErrorShape(none.json(), 'invalid_request');
  });
});

describe('GET /jobs/:id', () => {
  it('walks the stages with a growing version and progress', async () => {
    const { app, clock } = await setup();
    const { id } = (
      await app.inject({
        method: 'POST',
        url: '/jobs',
        payload: { ...validBody, simulate: { duration_ms: 10_000 } },
      })
    ).json<JobResource>();
    const seen: JobResource[] = [];
    for (let t = 0; t <= 10_000; t += 500) {
      seen.push((await app.inject(`/jobs/${id}`)).json<JobResource>());
      clock.advance(500);
    }
    const stages = [...new Set(seen.map((j) => j.stage))];
    expect(stages).toEqual([
      'queued',
      'transcribing',
      'translating',
      'voice_synthesis',
      'lip_sync',
      'rendering',
      'done',
    ]);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]?.progress).toBeGreaterThanOrEqual(seen[i - 1]?.progress ?? 0);
      expect(seen[i]?.version).toBeGreaterThanOrEqual(seen[i - 1]?.version ?? 0);
    }
    expect(seen.at(-1)?.version).toBe(7);
  });

  it('answers 404 job_not_found for an unknown id', async () => {
    const { app } = await setup();
    const res = await app.inject('/jobs/job_missing');
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'job_not_found');
  });
});

describe('long-poll (Prefer: wait)', () => {
  it('holds until the stage changes, then answers with Preference-Applied', async () => {
    const { app, clock } = await setup();
    let answered = false;
    const pending = app
      .inject({ url: '/status', headers: { prefer: 'respond-async, wait=20' } })
      .then((r) => {
        answered = true;
        return r;
      });
    await held(app);
    expect(answered).toBe(false);
    clock.advance(499); // queued lasts 5% of 10 s
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    clock.advance(1);
    const res = await pending;
    expect(res.headers['preference-applied']).toBe('wait=20');
    expect(res.json<JobResource>()).toMatchObject({ stage: 'transcribing', version: 2 });
  });

  it('caps the wait at max-wait and answers unchanged after it', async () => {
    const { app, clock } = await setup({ maxWaitSeconds: 2, delayMs: 1_000_000 });
    const pending = app.inject({ url: '/status', headers: { prefer: 'wait=600' } });
    await held(app);
    clock.advance(2000);
    const res = await pending;
    expect(res.headers['preference-applied']).toBe('wait=2');
    expect(res.json<JobResource>().version).toBe(1);
  });

  it('answers at once when If-None-Match names an older version, or the job is terminal', async () => {
    const { app, clock } = await setup();
    clock.advance(600);
    const moved = await app.inject({
      url: '/status',
      headers: { prefer: 'wait=30', 'if-none-match': '"v1"' },
    });
    expect(moved.json<JobResource>().version).toBe(2);
    clock.advance(10_000);
    const done = await app.inject({ url: '/status', headers: { prefer: 'wait=30' } });
    expect(done.json<JobResource>().result).toBe('completed');
  });

  it('ignores Prefer when long-poll is disabled, and says so in the capabilities', async () => {
    const { app } = await setup({ longPoll: false });
    const res = await app.inject({ url: '/status', headers: { prefer: 'wait=30' } });
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(res.headers['status-capabilities']).toBe(
      'events; heartbeat-ms=15000, batch, multi-events; max-ids=100',
    );
  });

  it('answers held requests with the current state when the app closes', async () => {
    const { app } = await setup();
    const pending = app.inject({ url: '/status', headers: { prefer: 'wait=30' } });
    await held(app);
    await app.close();
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.json<JobResource>().result).toBe('pending');
    expect(res.headers['connection']).toBe('close');
  });

  it('refuses to hold more than maxHeldRequests in all (503)', async () => {
    const { app, clock } = await setup({ maxHeldRequests: 1 });
    const first = app.inject({ url: '/status', headers: { prefer: 'wait=5' } });
    await held(app);
    const second = await app.inject({ url: '/status', headers: { prefer: 'wait=5' } });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    expectErrorShape(second.json(), 'unavailable');
    clock.advance(5000);
    expect((await first).statusCode).toBe(200);
  });
});

describe('batch GET /jobs?ids=', () => {
  it('answers one entry per id in order, unknown ids failing alone', async () => {
    const { app } = await setup();
    const a = (await app.inject({ method: 'POST', url: '/jobs', payload: validBody })).json<JobResource>();
    const res = await app.inject(`/jobs?ids=${a.id},nope,${app.defaultJobId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['status-capabilities']).toBe(
      'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, batch, multi-events; max-ids=100',
    );
    const body = res.json<{ jobs: { id: string; job?: JobResource; error?: { code: string } }[] }>();
    expect(body.jobs.map((e) => e.id)).toEqual([a.id, 'nope', app.defaultJobId]);
    expect(body.jobs[0]?.job?.id).toBe(a.id);
    expect(body.jobs[1]?.error?.code).toBe('job_not_found');
    expect(body.jobs[2]?.job?.id).toBe(app.defaultJobId);
  });

  it('rejects empty ids and more than 100 ids', async () => {
    const { app } = await setup();
    const none = await app.inject('/jobs?ids=');
    expect(none.statusCode).toBe(400);
    expectErrorShape(none.json(), 'invalid_request');
    const many = await app.inject(`/jobs?ids=${Array.from({ length: 101 }, (_, i) => `j${i}`).join(',')}`);
    expect(many.statusCode).toBe(400);
    expect(many.json<{ error: { message: string } }>().error.message).toContain('101');
  });

  it('holds until any listed job changes', async () => {
    const { app, clock } = await setup();
    const slow = (
      await app.inject({
        method: 'POST',
        url: '/jobs',
        payload: { ...validBody, simulate: { duration_ms: 100_000 } },
      })
    ).json<JobResource>();
    const pending = app.inject({
      url: `/jobs?ids=${slow.id},${app.defaultJobId}`,
      headers: { prefer: 'wait=30' },
    });
    await held(app, 2);
    clock.advance(500);
    const res = await pending;
    expect(res.headers['preference-applied']).toBe('wait=30');
    const body = res.json<{ jobs: { job: JobResource }[] }>();
    expect(body.jobs[1]?.job.stage).toBe('transcribing');
  });

  it('answers a held batch at once when a job moved past the version the client saw', async () => {
    const { app, clock } = await setup();
    const first = (await app.inject(`/jobs/${app.defaultJobId}`)).json<JobResource>();
    clock.advance(500); // the default job moves on to its next stage
    const res = await app.inject({
      url: `/jobs?ids=${app.defaultJobId}&versions=${first.version}`,
      headers: { prefer: 'wait=30' },
    });
    const body = res.json<{ jobs: { job: JobResource }[] }>();
    expect(body.jobs[0]?.job.version).toBeGreaterThan(first.version);
    expect(app.jobStore.subscriptionCount).toBe(0);
  });

  it('with wake=result, holds a batch through stage changes until a job ends', async () => {
    const { app, clock } = await setup();
    const pending = app.inject({
      url: `/jobs?ids=${app.defaultJobId}&wake=result`,
      headers: { prefer: 'wait=30' },
    });
    await held(app, 1);
    clock.advance(5_000); // several stage changes of the default job, which ends at 10 s
    expect(app.jobStore.subscriptionCount).toBe(1); // still held
    clock.advance(5_000);
    const body = (await pending).json<{ jobs: { job: JobResource }[] }>();
    expect(body.jobs[0]?.job.result).toBe('completed');
  });

  it('with wake=result, holds one job through its stage changes until it ends', async () => {
    const { app, clock } = await setup();
    const pending = app.inject({ url: '/status?wake=result', headers: { prefer: 'wait=30' } });
    await held(app, 1);
    clock.advance(5_000);
    expect(app.jobStore.subscriptionCount).toBe(1); // still held through the stage changes
    clock.advance(5_000);
    expect((await pending).json<JobResource>().result).toBe('completed');
  });

  it('rejects an unknown wake value', async () => {
    const { app } = await setup();
    const res = await app.inject(`/jobs?ids=${app.defaultJobId}&wake=never`);
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'invalid_request');
  });

  it('rejects a versions list that does not match the ids', async () => {
    const { app } = await setup();
    const res = await app.inject(`/jobs?ids=${app.defaultJobId}&versions=1,2`);
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'invalid_request');
  });

  it('is a 404 route_not_found when batch is disabled', async () => {
    const { app } = await setup({ batch: false });
    const res = await app.inject(`/jobs?ids=${app.defaultJobId}`);
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'route_not_found');
    expect((await app.inject('/status')).headers['status-capabilities']).toBe(
      'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=15000, multi-events; max-ids=100',
    );
  });
});

describe('POST /jobs with Idempotency-Key', () => {
  const post = (app: FastifyInstance, key: string | undefined, payload: object = validBody) =>
    app.inject({
      method: 'POST',
      url: '/jobs',
      payload,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  it('creates once: the same key and body answer the same job, 201 then 200', async () => {
    const { app } = await setup();
    const first = await post(app, 'key-1');
    const again = await post(app, 'key-1', { lip_sync: true, ...validBody });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json<JobResource>().id).toBe(first.json<JobResource>().id);
    expect(again.headers['location']).toBe(first.headers['location']);
    expect(await app.jobStore.countByResult()).toEqual({ pending: 2, completed: 0, error: 0 });
  });

  it('creates a job per request without a key, and per key', async () => {
    const { app } = await setup();
    const ids = new Set<string>();
    for (const key of [undefined, undefined, 'a', 'b'])
      ids.add((await post(app, key)).json<JobResource>().id);
    expect(ids.size).toBe(4);
  });

  it('answers 422 idempotency_conflict, naming the key, for the same key with another body', async () => {
    const { app } = await setup();
    await post(app, 'key-1');
    const res = await post(app, 'key-1', { ...validBody, video_duration_seconds: 91 });
    expect(res.statusCode).toBe(422);
    expectErrorShape(res.json(), 'idempotency_conflict');
    expect(res.json<{ error: { message: string } }>().error.message).toContain("'key-1'");
  });

  it('answers 409 idempotency_in_progress with Retry-After while the first create is still running', async () => {
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const inner = new InMemoryJobStore({
      clock,
      seed: 1,
      model: { timeScale: 1, errorRate: 0, etaError: 0 },
    });
    const store = storeOver(inner, {
      create: async (input, key) => {
        if (key !== undefined) await slow;
        return inner.create(input, key);
      },
    });
    const { app } = await setup({ clock, store });
    const first = post(app, 'key-1');
    await new Promise((r) => setImmediate(r));
    const during = await post(app, 'key-1');
    expect(during.statusCode).toBe(409);
    expect(during.headers['retry-after']).toBe('1');
    expectErrorShape(during.json(), 'idempotency_in_progress');
    finish();
    expect((await first).statusCode).toBe(201);
    expect((await post(app, 'key-1')).json<JobResource>().id).toBe((await first).json<JobResource>().id);
  });

  it('gives the key back when the create fails, so a retry creates the job', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10));
    const inner = new InMemoryJobStore({
      clock,
      seed: 1,
      model: { timeScale: 1, errorRate: 0, etaError: 0 },
    });
    let failures = 1;
    const store = storeOver(inner, {
      create: (input, key) =>
        key !== undefined && failures-- > 0
          ? Promise.reject(new Error('disk full'))
          : inner.create(input, key),
    });
    const { app } = await setup({ clock, store });
    expect((await post(app, 'key-1')).statusCode).toBe(500);
    expect((await post(app, 'key-1')).statusCode).toBe(201);
  });

  it('forgets a key after 24 hours: the same key then makes a new job', async () => {
    const { app, clock } = await setup();
    const first = (await post(app, 'key-1')).json<JobResource>();
    clock.advance(24 * 3600 * 1000);
    const later = await post(app, 'key-1', { ...validBody, video_duration_seconds: 91 });
    expect(later.statusCode).toBe(201);
    expect(later.json<JobResource>().id).not.toBe(first.id);
  });

  it.each(['', 'x'.repeat(256), 'has space', 'ünï'])('answers 400 for the key %j', async (key) => {
    const { app } = await setup();
    const res = await post(app, key);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('Idempotency-Key');
  });

  it('checks the body before the key: a bad body never claims it', async () => {
    const { app } = await setup();
    expect((await post(app, 'key-1', { ...validBody, target_language: 'en' })).statusCode).toBe(400);
    expect((await post(app, 'key-1')).statusCode).toBe(201);
  });
});

describe('DELETE /jobs/:id', () => {
  async function created(app: FastifyInstance, durationMs = 10_000): Promise<JobResource> {
    const res = await app.inject({
      method: 'POST',
      url: '/jobs',
      payload: { ...validBody, simulate: { duration_ms: durationMs } },
    });
    return res.json<JobResource>();
  }

  it('ends a pending job in error with code canceled, and answers the job resource', async () => {
    const { app, clock } = await setup();
    const job = await created(app);
    clock.advance(600);
    const res = await app.inject({ method: 'DELETE', url: `/jobs/${job.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json<JobResource>();
    expect(body).toMatchObject({
      id: job.id,
      result: 'error',
      stage: 'canceled',
      version: 3,
      completed_at: new Date(clock.now()).toISOString(),
      error: { code: 'canceled', message: expect.stringContaining('canceled') as string },
    });
    expect(body.eta_ms).toBeUndefined();
    expect(res.headers['etag']).toBe('"v3"');
    expect(res.headers['retry-after']).toBeUndefined();
    expect((await app.inject(`/jobs/${job.id}`)).json()).toEqual(body);
  });

  it('is idempotent: canceling again answers the same canceled job', async () => {
    const { app, clock } = await setup();
    const job = await created(app);
    const first = await app.inject({ method: 'DELETE', url: `/jobs/${job.id}` });
    clock.advance(60_000);
    const again = await app.inject({ method: 'DELETE', url: `/jobs/${job.id}` });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
  });

  it.each([
    ['completed', {}, 'has already completed'],
    ['failed', { outcome: 'error' }, 'has already failed'],
  ])(
    'answers 409 job_finished for a job that already %s, and leaves it as it ended',
    async (_n, simulate, says) => {
      const { app, clock } = await setup();
      const res0 = await app.inject({
        method: 'POST',
        url: '/jobs',
        payload: { ...validBody, simulate: { duration_ms: 1000, ...simulate } },
      });
      const job = res0.json<JobResource>();
      clock.advance(1000);
      const before = (await app.inject(`/jobs/${job.id}`)).json<JobResource>();
      const res = await app.inject({ method: 'DELETE', url: `/jobs/${job.id}` });
      expect(res.statusCode).toBe(409);
      expectErrorShape(res.json(), 'job_finished');
      expect(res.json<{ error: { message: string } }>().error.message).toContain(says);
      expect((await app.inject(`/jobs/${job.id}`)).json()).toEqual(before);
    },
  );

  it('answers 404 job_not_found for an unknown job', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'DELETE', url: '/jobs/job_nope' });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'job_not_found');
  });

  it.each(['change', 'result'])(
    'wakes a held long-poll (wake=%s) at once with the canceled job',
    async (wake) => {
      const { app } = await setup();
      const job = await created(app, 1_000_000);
      const pending = app.inject({ url: `/jobs/${job.id}?wake=${wake}`, headers: { prefer: 'wait=30' } });
      await held(app);
      await app.inject({ method: 'DELETE', url: `/jobs/${job.id}` });
      const res = await pending;
      expect(res.json<JobResource>()).toMatchObject({ result: 'error', stage: 'canceled' });
      expect(app.jobStore.subscriptionCount).toBe(0);
    },
  );

  it('wakes a held batch with the canceled job in it', async () => {
    const { app } = await setup();
    const a = await created(app, 1_000_000);
    const b = await created(app, 1_000_000);
    const pending = app.inject({ url: `/jobs?ids=${a.id},${b.id}`, headers: { prefer: 'wait=30' } });
    await held(app, 2);
    await app.inject({ method: 'DELETE', url: `/jobs/${b.id}` });
    const res = await pending;
    const jobs = res.json<{ jobs: { job: JobResource }[] }>().jobs.map((entry) => entry.job.stage);
    expect(jobs).toEqual(['queued', 'canceled']);
  });
});

describe('errors for unknown routes and methods', () => {
  it('answers 404 route_not_found for an unknown path', async () => {
    const { app } = await setup();
    const res = await app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'route_not_found');
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const { app } = await setup();
    const patch = await app.inject({ method: 'PATCH', url: '/jobs/abc' });
    expect(patch.statusCode).toBe(405);
    expect(patch.headers['allow']).toBe('DELETE, GET, HEAD');
    expectErrorShape(patch.json(), 'method_not_allowed');
    const put = await app.inject({ method: 'PUT', url: '/jobs' });
    expect(put.statusCode).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD, POST');
    const options = await app.inject({ method: 'OPTIONS', url: '/status' });
    expect(options.statusCode).toBe(405);
    expect(options.headers['allow']).toBe('GET, HEAD');
  });

  it('still answers 404 for unknown paths when CORS adds its OPTIONS * route', async () => {
    const { app } = await setup({ corsOrigins: ['*'] });
    expect((await app.inject('/nope')).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/status' })).headers['allow']).toBe('GET, HEAD');
  });

  it('events disabled: 404 route_not_found and no Link header', async () => {
    const { app } = await setup({ events: false });
    const res = await app.inject(`/jobs/${app.defaultJobId}/events`);
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'route_not_found');
    const status = await app.inject('/status');
    expect(status.headers['link']).toBeUndefined();
    expect(status.headers['status-capabilities']).toBe('long-poll; max-wait=30; max-result-wait=300, batch');
  });

  it('announces the configured SSE heartbeat interval on events', async () => {
    const { app } = await setup({ heartbeatMs: 2500 });
    expect((await app.inject('/status')).headers['status-capabilities']).toBe(
      'long-poll; max-wait=30; max-result-wait=300, events; heartbeat-ms=2500, batch, multi-events; max-ids=100',
    );
  });

  it('omits Status-Capabilities when every feature is off', async () => {
    const { app } = await setup({ events: false, longPoll: false, batch: false });
    expect((await app.inject('/status')).headers['status-capabilities']).toBeUndefined();
  });
});

describe('operations routes', () => {
  it('GET /healthz', async () => {
    const { app } = await setup();
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
  });

  it('GET /metrics reports requests, held long-polls, streams and jobs by result', async () => {
    const { app } = await setup();
    await app.inject('/status');
    await app.inject('/nope');
    const res = await app.inject('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain(
      'translation_status_http_requests_total{method="GET",route="/status",status_code="200"} 1',
    );
    expect(res.body).toContain('status_code="404"');
    expect(res.body).toContain('translation_status_long_polls_held 0');
    expect(res.body).toContain('translation_status_event_streams_open 0');
    expect(res.body).toContain('translation_status_jobs{result="pending"} 1');
  });

  it('GET /openapi.json documents the routes from their schemas', async () => {
    const { app } = await setup();
    const doc = (await app.inject('/openapi.json')).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/status', '/jobs', '/jobs/{id}', '/jobs/{id}/events', '/healthz', '/metrics']),
    );
    expect(JSON.stringify(doc.paths['/jobs'])).toContain('video_duration_seconds');
  });

  it('GET /openapi.json documents cancel, Idempotency-Key, webhooks and the answers worth retrying', async () => {
    const { app } = await setup();
    interface Operation {
      parameters?: { in: string; name: string }[];
      requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      responses: Record<string, { headers?: Record<string, unknown> }>;
    }
    const doc = (await app.inject('/openapi.json')).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const create = doc.paths['/jobs']?.['post'];
    const cancel = doc.paths['/jobs/{id}']?.['delete'];
    expect(create?.parameters?.map((p) => `${p.in}:${p.name}`)).toContain('header:idempotency-key');
    expect(Object.keys(create?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual(
      expect.arrayContaining(['callback_url', 'callback_events']),
    );
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '201', '409', '422']),
    );
    expect(create?.responses['409']?.headers).toHaveProperty('retry-after');
    expect(Object.keys(cancel?.responses ?? {})).toEqual(expect.arrayContaining(['200', '409']));
    expect(doc.paths['/jobs/{id}']?.['get']?.responses['503']?.headers).toHaveProperty('retry-after');
    expect(doc.paths['/jobs/{id}/deliveries']?.['get']?.responses).toHaveProperty('200');
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const { app } = await setup();
    const res = await app.inject({ url: '/status', headers: { origin: 'https://example.com' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows configured origins and exposes the protocol headers', async () => {
    const { app } = await setup({ corsOrigins: ['https://example.com'] });
    const res = await app.inject({ url: '/status', headers: { origin: 'https://example.com' } });
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(res.headers['access-control-expose-headers']).toContain('poll-after-ms');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/jobs',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
  });
});
