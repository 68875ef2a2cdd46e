/**
 * The HeyGen routes over the job model: the bodies HeyGen documents, API keys, the per-client
 * concurrency limit, v3 idempotency and HeyGen-shaped callbacks (app.inject; the client against these
 * routes on real sockets is test/integration/heygen.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuildAppOptions } from '../app.js';
import { FakeClock } from '../domain/clock.js';

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

const KEY = { 'x-api-key': 'hg_key_1' };

function v3Create(
  app: FastifyInstance,
  payload: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/v3/video-translations',
    headers,
    payload: {
      video: { type: 'url', url: 'https://videos.test/talk.mp4' },
      output_languages: ['Spanish (Spain)'],
      simulate: { duration_ms: 5_000 },
      ...payload,
    },
  });
}

describe('HeyGen v2 routes', () => {
  it('create answers the id, and the status goes pending → success with a URL', async () => {
    const { app, clock } = await setup();
    const created = await app.inject({
      method: 'POST',
      url: '/v2/video_translate',
      payload: {
        video_url: 'https://videos.test/a.mp4',
        output_language: 'Spanish',
        translate_audio_only: false,
        simulate: { duration_ms: 4_000 },
      },
    });
    expect(created.statusCode).toBe(200);
    const { error, data } = created.json<{ error: null; data: { video_translate_id: string } }>();
    expect(error).toBeNull();
    const read = async () =>
      (await app.inject(`/v2/video_translate/${data.video_translate_id}`)).json<{
        data: { status: string; url: string | null; message: string | null };
      }>().data;
    expect(await read()).toMatchObject({ status: 'pending', url: null, message: null });
    clock.advance(2_000);
    expect((await read()).status).toBe('running');
    clock.advance(3_000);
    const done = await read();
    expect(done.status).toBe('success');
    expect(done.url).toMatch(/^https:\/\/video\.heygen-simulator\.invalid\/.+\.mp4$/);
  });

  it('a failed job says failed, with the failure message', async () => {
    const { app, clock } = await setup();
    const created = await app.inject({
      method: 'POST',
      url: '/v2/video_translate',
      payload: {
        video_url: 'u',
        output_language: 'German',
        simulate: { duration_ms: 1_000, outcome: 'error' },
      },
    });
    const id = created.json<{ data: { video_translate_id: string } }>().data.video_translate_id;
    clock.advance(2_000);
    const { data } = (await app.inject(`/v2/video_translate/${id}`)).json<{
      data: { status: string; url: null; message: string };
    }>();
    expect(data.status).toBe('failed');
    expect(data.url).toBeNull();
    expect(data.message.length).toBeGreaterThan(5);
  });

  it('names a missing field, and answers 404 for an unknown id', async () => {
    const { app } = await setup();
    const bad = await app.inject({ method: 'POST', url: '/v2/video_translate', payload: { video_url: 'u' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('output_language');
    expect((await app.inject('/v2/video_translate/nope')).statusCode).toBe(404);
  });
});

describe('HeyGen v3 routes', () => {
  it('one job per language, each read with its own language', async () => {
    const { app, clock } = await setup();
    const created = await v3Create(app, { output_languages: ['Spanish (Spain)', 'German'] });
    expect(created.statusCode).toBe(200);
    const ids = created.json<{ data: { video_translation_ids: string[] } }>().data.video_translation_ids;
    expect(ids).toHaveLength(2);
    clock.advance(6_000);
    const reads = await Promise.all(
      ids.map(
        async (id) =>
          (await app.inject(`/v3/video-translations/${id}`)).json<{ data: Record<string, unknown> }>().data,
      ),
    );
    expect(reads.map((d) => [d['status'], d['output_language']])).toEqual([
      ['completed', 'Spanish (Spain)'],
      ['completed', 'German'],
    ]);
    expect(reads[0]?.['video_url']).toMatch(/\.mp4$/);
    expect(reads[0]?.['failure_message']).toBeNull();
  });

  it('the same Idempotency-Key answers the first ids, whatever the body', async () => {
    const { app } = await setup();
    const headers = { 'idempotency-key': 'retry-me:1' };
    const first = await v3Create(app, { output_languages: ['Spanish (Spain)', 'German', 'French'] }, headers);
    const again = await v3Create(app, { output_languages: ['Italian'] }, headers);
    const ids = (r: typeof first) =>
      r.json<{ data: { video_translation_ids: string[] } }>().data.video_translation_ids;
    expect(again.statusCode).toBe(200);
    expect(ids(again)).toEqual(ids(first));
    expect(ids(first)).toHaveLength(3);
    const listed = (await app.inject('/jobs')).json<{ jobs: unknown[] }>().jobs;
    expect(listed.length).toBe(3 + 1); // and the default job
    const other = await v3Create(app, {}, { 'idempotency-key': 'another' });
    expect(ids(other)).not.toEqual(ids(first));
  });

  it('refuses a key outside HeyGen syntax', async () => {
    const { app } = await setup();
    const res = await v3Create(app, {}, { 'idempotency-key': 'has space' });
    expect(res.statusCode).toBe(400);
  });

  it('checks x-api-key against --api-keys', async () => {
    const { app } = await setup({ apiKeys: ['hg_key_1'] });
    expect((await v3Create(app)).statusCode).toBe(401);
    expect((await v3Create(app, {}, { 'x-api-key': 'wrong' })).statusCode).toBe(401);
    expect((await v3Create(app, {}, KEY)).statusCode).toBe(200);
  });

  it('over --max-concurrent-jobs a create gets 429 with Retry-After, until a job ends', async () => {
    const { app, clock } = await setup({ apiKeys: ['hg_key_1', 'hg_key_2'], maxConcurrentJobs: 2 });
    expect((await v3Create(app, { output_languages: ['A', 'B'] }, KEY)).statusCode).toBe(200);
    const refused = await v3Create(app, {}, KEY);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain(
      'limit of 2 concurrent jobs',
    );
    // Another key has its own count.
    expect((await v3Create(app, {}, { 'x-api-key': 'hg_key_2' })).statusCode).toBe(200);
    clock.advance(6_000);
    expect((await v3Create(app, {}, KEY)).statusCode).toBe(200);
  });

  it('a refused create gives its Idempotency-Key back, so its retry is served', async () => {
    const { app, clock } = await setup({ maxConcurrentJobs: 1 });
    expect((await v3Create(app)).statusCode).toBe(200);
    const headers = { 'idempotency-key': 'k1' };
    expect((await v3Create(app, {}, headers)).statusCode).toBe(429);
    clock.advance(6_000);
    expect((await v3Create(app, {}, headers)).statusCode).toBe(200);
  });

  it('refuses a callback_url when the server sends no webhooks', async () => {
    const { app } = await setup();
    const res = await v3Create(app, { callback_url: 'http://127.0.0.1:9/hook' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('--webhook-secret');
  });

  it('is in the OpenAPI document', async () => {
    const { app } = await setup();
    const paths = Object.keys((await app.inject('/openapi.json')).json<{ paths: object }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v2/video_translate',
        '/v2/video_translate/{id}',
        '/v3/video-translations',
        '/v3/video-translations/{id}',
      ]),
    );
  });
});
