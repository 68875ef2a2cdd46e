import { describe, expect, it } from 'vitest';
import { TranslationClient } from './client.js';
import {
  ConfigurationError,
  HttpError,
  JobFailedError,
  NetworkError,
  ProtocolError,
} from './errors/index.js';
import type { ProtocolAdapter } from './protocol/adapter.js';
import { heygenV2, heygenV3 } from './protocol/heygen/index.js';
import { json, type RecordedRequest } from './test-support/fake-fetch.js';
import { BASE, drive, harness, type Harness } from './test-support/scenario.js';

/** A HeyGen v3 job that is pending, then running, then `outcome` at `doneAt` (virtual ms). */
function v3Job(doneAt: number, outcome: 'completed' | 'failed' | 'melted' = 'completed') {
  return (request: RecordedRequest, now: number): Response => {
    const id = request.url.pathname.split('/').pop() ?? '';
    const status = now >= doneAt ? outcome : now >= doneAt / 2 ? 'running' : 'pending';
    return json({
      data: {
        video_translation_id: id,
        status,
        ...(status === 'completed' ? { video_url: `https://files.test/${id}.mp4` } : {}),
        ...(status === 'failed' ? { failure_message: 'No speech found in the video' } : {}),
      },
    });
  };
}

function heygenHarness(answer: (request: RecordedRequest, now: number) => Response): Harness {
  return harness((request, clock) => {
    if (request.method === 'POST') {
      return json({ data: { video_translation_ids: ['vt_es', 'vt_de'] } });
    }
    return answer(request, clock.now());
  });
}

function v3Client(h: Harness) {
  return new TranslationClient({
    baseUrl: BASE,
    protocol: heygenV3,
    apiKey: 'hg_secret_key',
    fetch: h.fetch,
    clock: h.clock,
    random: () => 0,
    logger: h.logger,
    logLevel: 'debug',
  });
}

const V3_INPUT = {
  video: { type: 'url', url: 'https://videos.test/talk.mp4' },
  output_languages: ['Spanish (Spain)', 'German'],
} as const;

describe('protocol heygen-v3', () => {
  it('creates with HeyGen body and key, and returns every id', async () => {
    const h = heygenHarness(v3Job(10_000));
    const created = await drive(h.clock, v3Client(h).createJob(V3_INPUT));
    expect(created.ids).toEqual(['vt_es', 'vt_de']);
    expect(created.id).toBe('vt_es');
    expect(created.url).toBe(`${BASE}v3/video-translations/vt_es`);
    const [post] = h.requests;
    expect(post?.url.pathname).toBe('/v3/video-translations');
    expect(JSON.parse(post?.body ?? '')).toEqual(V3_INPUT);
    expect(post?.headers.get('x-api-key')).toBe('hg_secret_key');
    expect(post?.headers.get('authorization')).toBeNull();
    expect(post?.headers.get('idempotency-key')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('polls the job status and resolves with the video URL', async () => {
    const h = heygenHarness(v3Job(10_000));
    const seen: string[] = [];
    const done = await drive(
      h.clock,
      v3Client(h).waitForCompletion('vt_es', { onStatus: (s) => seen.push(s.stage ?? '') }),
    );
    expect(done.status.videoUrl).toBe('https://files.test/vt_es.mp4');
    expect(done.stats.transport).toBe('poll');
    expect(seen).toEqual(['pending', 'running', 'completed']);
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000, 15_000]);
    for (const request of h.requests) {
      expect(request.url.pathname).toBe('/v3/video-translations/vt_es');
      expect(request.headers.get('x-api-key')).toBe('hg_secret_key');
      expect(request.headers.get('prefer')).toBeNull();
    }
  });

  it('polls only, even when asked for an event stream', async () => {
    const h = heygenHarness(v3Job(2_000));
    const done = await drive(h.clock, v3Client(h).waitForCompletion('vt_es', { transport: 'sse' }));
    expect(done.stats.transport).toBe('poll');
    expect(h.requests.every((r) => r.url.pathname === '/v3/video-translations/vt_es')).toBe(true);
  });

  it('rejects with JobFailedError holding HeyGen message', async () => {
    const h = heygenHarness(v3Job(2_000, 'failed'));
    const error: unknown = await drive(h.clock, v3Client(h).waitForCompletion('vt_es')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).jobErrorMessage).toBe('No speech found in the video');
    expect((error as JobFailedError).message).toContain('translation_failed: No speech found in the video');
  });

  it('rejects an unknown status with a ProtocolError at once, not a hang', async () => {
    const h = heygenHarness(v3Job(2_000, 'melted'));
    const error: unknown = await drive(h.clock, v3Client(h).waitForCompletion('vt_es')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).problem).toContain("unknown HeyGen status 'melted'");
    expect(h.requests.length).toBe(3);
  });

  it('honours Retry-After on 429 (over the concurrency limit) and goes on waiting', async () => {
    let refused = 0;
    const job = v3Job(3_000);
    const h = heygenHarness((request, now) => {
      if (now >= 1_000 && refused < 1) {
        refused += 1;
        return json({ error: { code: 'rate_limit_exceeded', message: 'Too many' } }, 429, {
          'retry-after': '20',
        });
      }
      return job(request, now);
    });
    const done = await drive(h.clock, v3Client(h).waitForCompletion('vt_es'));
    expect(done.status.result).toBe('completed');
    expect(h.times()).toEqual([0, 1_000, 21_000]);
    expect(done.stats.retries).toBe(1);
  });

  it('fails fast on a refused key, naming the key option and never showing it', async () => {
    const h = harness(() =>
      json({ error: { code: 'unauthorized', message: 'The API key provided is invalid' } }, 401),
    );
    const error: unknown = await drive(h.clock, v3Client(h).waitForCompletion('vt_es')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    expect((error as HttpError).message).toContain('unauthorized: The API key provided is invalid');
    expect((error as HttpError).message).toContain('Check the apiKey option');
    expect((error as HttpError).message).not.toContain('hg_secret_key');
    expect(h.requests.length).toBe(1);
  });

  it('waitForAll waits on each job, never asking for a batch', async () => {
    const h = heygenHarness(v3Job(2_000));
    const results = await drive(h.clock, v3Client(h).waitForAll(['vt_es', 'vt_de']));
    expect(results.map((r) => r.ok && r.status.videoUrl)).toEqual([
      'https://files.test/vt_es.mp4',
      'https://files.test/vt_de.mp4',
    ]);
    expect(h.requests.every((r) => r.url.pathname.startsWith('/v3/video-translations/'))).toBe(true);
  });

  it('checks the input against HeyGen body before any request', async () => {
    const h = heygenHarness(v3Job(1));
    const error: unknown = await v3Client(h)
      .createJob({ video: { type: 'url', url: 'u' }, output_languages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('input.output_languages');
    expect(h.requests).toEqual([]);
  });

  it('has no cancel', async () => {
    const h = heygenHarness(v3Job(1));
    await expect(v3Client(h).cancelJob('vt_es')).rejects.toThrow(/a protocol that cancels jobs/);
  });
});

describe('protocol heygen-v2', () => {
  it('does not resend a create whose answer was lost: v2 has no idempotency key', async () => {
    const h = harness(() => {
      throw new TypeError('fetch failed');
    });
    const client = new TranslationClient({
      baseUrl: BASE,
      protocol: heygenV2,
      fetch: h.fetch,
      clock: h.clock,
    });
    const created = client.createJob({ video_url: 'https://videos.test/a.mp4', output_language: 'Spanish' });
    await expect(drive(h.clock, created)).rejects.toBeInstanceOf(NetworkError);
    expect(h.requests.length).toBe(1);
    expect(h.requests[0]?.headers.get('idempotency-key')).toBeNull();
  });

  it('reads the legacy body through completion', async () => {
    const h = harness((request, clock) =>
      json({
        error: null,
        data: {
          video_translate_id: 'vt_1',
          status: clock.now() < 2_000 ? 'running' : 'success',
          url: clock.now() < 2_000 ? null : 'https://files.test/1.mp4',
          message: null,
        },
      }),
    );
    const client = new TranslationClient({
      baseUrl: BASE,
      protocol: heygenV2,
      fetch: h.fetch,
      clock: h.clock,
    });
    const done = await drive(h.clock, client.waitForCompletion('vt_1'));
    expect(done.status.videoUrl).toBe('https://files.test/1.mp4');
    expect(h.requests[0]?.url.pathname).toBe('/v2/video_translate/vt_1');
  });
});

describe('protocol option', () => {
  it('classic reads GET /status (an id as job_id) and neither creates nor cancels', async () => {
    const h = harness(() => json({ result: 'completed' }));
    const client = new TranslationClient({
      baseUrl: BASE,
      protocol: 'classic',
      fetch: h.fetch,
      clock: h.clock,
    });
    await drive(h.clock, client.waitForCompletion('job 7'));
    expect(h.requests[0]?.url.href).toBe(`${BASE}status?job_id=job+7`);
    await expect(
      client.createJob({ sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 3 }),
    ).rejects.toThrow(/a protocol that creates jobs/);
    await expect(client.cancelJob('job 7')).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('takes an adapter of your own', async () => {
    const mine: ProtocolAdapter<{ file: string }> = {
      name: 'mine',
      extensions: false,
      apiKeyHeader: 'x-token',
      statusUrl: (base, id) => new URL(`tasks/${id ?? ''}`, base).href,
      readStatus: (body) => heygenV3.readStatus({ data: body }),
    };
    const h = harness(() => json({ status: 'completed', video_url: 'https://f.test/x' }));
    const client = new TranslationClient({
      baseUrl: BASE,
      protocol: mine,
      apiKey: 'k',
      fetch: h.fetch,
      clock: h.clock,
    });
    const done = await drive(h.clock, client.waitForCompletion('t1'));
    expect(done.status.videoUrl).toBe('https://f.test/x');
    expect(h.requests[0]?.headers.get('x-token')).toBe('k');
  });

  it('refuses a HeyGen name, saying what to import instead', () => {
    expect(() => new TranslationClient({ baseUrl: BASE, protocol: 'heygen-v3' as 'classic' })).toThrow(
      "expected the adapter object: import { heygenV3 } from '@translation-status/client/heygen' and pass protocol: heygenV3",
    );
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => new TranslationClient({ baseUrl: BASE, protocol: 'heygen' as 'classic' })).toThrow(
      /protocol.*'translation-status', 'classic' or an adapter object/,
    );
  });
});
