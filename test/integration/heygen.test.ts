/**
 * Issue 15: the client's heygen-v2 and heygen-v3 adapters against the simulator's HeyGen routes on
 * loopback: completion with the video URL, failure with HeyGen's message, 429 over the concurrency limit
 * waited out, idempotent creates, a wrong key failing fast, and HeyGen-shaped signed callbacks.
 */
import { HttpError, JobFailedError, TranslationClient } from '@translation-status/client';
import { heygenV2, heygenV3 } from '@translation-status/client/heygen';
import type { RunningServer } from '@translation-status/server';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHandles, eventually, expectNoLeakedHandles, inProcessServer } from './support.js';

const KEY = 'hg_test_key';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const FAST = { simulate: { duration_ms: 600 } };
/** Quick polls, so each wait takes about its job's duration. */
const polling = { initialDelayMs: 250, maxDelayMs: 500 };

let server: RunningServer;
let handlesBefore: Record<string, number>;

beforeAll(async () => {
  handlesBefore = activeHandles();
  server = await inProcessServer({
    apiKeys: [KEY],
    maxConcurrentJobs: 2,
    webhookSecrets: [SECRET],
  });
});

afterAll(async () => {
  await server.close();
  await expectNoLeakedHandles(handlesBefore);
});

const client = <P extends typeof heygenV2 | typeof heygenV3>(protocol: P, apiKey = KEY) =>
  new TranslationClient({ baseUrl: server.url, protocol, apiKey, polling, logLevel: 'silent' });

describe('heygen-v3 against the simulator', () => {
  it('creates one job per language and waits each to completion with its video URL', async () => {
    const hg = client(heygenV3);
    const job = await hg.createJob({
      video: { type: 'url', url: 'https://videos.test/talk.mp4' },
      output_languages: ['Spanish (Spain)', 'German'],
      ...FAST,
    });
    expect(job.ids).toHaveLength(2);
    const results = await hg.waitForAll(job.ids, { timeoutMs: 20_000 });
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.status.videoUrl).toMatch(/^https:\/\/video\.heygen-simulator\.invalid\/.+\.mp4$/);
        expect(result.stats.transport).toBe('poll');
      }
    }
  });

  it('a failed translation rejects with JobFailedError holding the message', async () => {
    const hg = client(heygenV3);
    const job = await hg.createJob({
      video: { type: 'url', url: 'https://videos.test/talk.mp4' },
      output_languages: ['French'],
      simulate: { duration_ms: 300, outcome: 'error' },
    });
    const error: unknown = await hg.waitForCompletion(job.id, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).jobErrorCode).toBe('translation_failed');
    expect((error as JobFailedError).jobErrorMessage.length).toBeGreaterThan(5);
  });

  it('over the concurrency limit, createJob waits out the 429 (Retry-After) instead of failing', async () => {
    const hg = client(heygenV3);
    const retries: number[] = [];
    const first = await hg.createJob({
      video: { type: 'url', url: 'https://videos.test/a.mp4' },
      output_languages: ['Italian', 'Dutch'],
      simulate: { duration_ms: 1_500 },
    });
    const third = await hg.createJob(
      { video: { type: 'url', url: 'https://videos.test/b.mp4' }, output_languages: ['Polish'], ...FAST },
      { onRetry: (info) => retries.push(info.attempt) },
    );
    expect(retries.length).toBeGreaterThanOrEqual(1);
    const done = await hg.waitForCompletion(third.id, { timeoutMs: 20_000 });
    expect(done.status.result).toBe('completed');
    await hg.waitForAll(first.ids, { timeoutMs: 20_000 });
  });

  it('the same Idempotency-Key answers the same jobs', async () => {
    const body = JSON.stringify({
      video: { type: 'url', url: 'https://videos.test/c.mp4' },
      output_languages: ['Greek'],
      ...FAST,
    });
    const post = () =>
      fetch(`${server.url}/v3/video-translations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'idempotency-key': 'retry-1' },
        body,
      }).then((r) => r.json() as Promise<{ data: { video_translation_ids: string[] } }>);
    const [a, b] = [await post(), await post()];
    expect(b.data.video_translation_ids).toEqual(a.data.video_translation_ids);
    await client(heygenV3).waitForCompletion(a.data.video_translation_ids[0] ?? '', { timeoutMs: 20_000 });
  });

  it('a wrong API key fails fast with a clear message, and the key is never shown', async () => {
    const hg = client(heygenV3, 'not-the-key');
    const started = performance.now();
    const error: unknown = await hg.waitForCompletion('anything').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    expect((error as HttpError).message).toMatch(/HTTP 401: unauthorized: The API key is not valid/);
    expect((error as HttpError).message).toContain('Check the apiKey option');
    expect((error as HttpError).message).not.toContain('not-the-key');
  });

  it('a callback_url gets HeyGen event shape, signed as this server signs its webhooks', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const sink = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    try {
      const port = (sink.address() as AddressInfo).port;
      const hg = client(heygenV3);
      const job = await hg.createJob({
        video: { type: 'url', url: 'https://videos.test/d.mp4' },
        output_languages: ['Japanese'],
        callback_url: `http://127.0.0.1:${port}/hook`,
        callback_id: 'order-42',
        ...FAST,
      });
      await eventually(() => {
        expect(received).toHaveLength(1);
      }, 10_000);
      const [delivery] = received;
      const headers = Object.fromEntries(
        Object.entries(delivery?.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(() => new Webhook(SECRET).verify(delivery?.body ?? '', headers)).not.toThrow();
      expect(JSON.parse(delivery?.body ?? '')).toEqual({
        event_type: 'video_translate.success',
        event_data: {
          video_translate_id: job.id,
          url: expect.stringMatching(/\.mp4$/) as unknown,
          callback_id: 'order-42',
          output_language: 'Japanese',
        },
      });
    } finally {
      sink.close();
      await once(sink, 'close');
    }
  });
});

describe('heygen-v2 against the simulator', () => {
  it('creates and waits to success with the URL', async () => {
    const hg = client(heygenV2);
    const job = await hg.createJob({
      video_url: 'https://videos.test/e.mp4',
      output_language: 'Korean',
      ...FAST,
    });
    const done = await hg.waitForCompletion(job.id, { timeoutMs: 20_000 });
    expect(done.status.stage).toBe('success');
    expect(done.status.videoUrl).toMatch(/\.mp4$/);
  });

  it('a failure rejects with HeyGen message', async () => {
    const hg = client(heygenV2);
    const job = await hg.createJob({
      video_url: 'https://videos.test/f.mp4',
      output_language: 'Hindi',
      simulate: { duration_ms: 300, outcome: 'error' },
    });
    await expect(hg.waitForCompletion(job.id, { timeoutMs: 20_000 })).rejects.toBeInstanceOf(JobFailedError);
  });

  it('a wrong key fails fast', async () => {
    await expect(client(heygenV2, 'wrong').waitForCompletion('x')).rejects.toMatchObject({ status: 401 });
  });
});
