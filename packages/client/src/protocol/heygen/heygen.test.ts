import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../errors/index.js';
import type { ParsedStatus } from '../status.js';
import { heygenV2 } from './v2.js';
import { heygenV3 } from './v3.js';

const BASE = 'https://api.heygen.test/';

/** The parts of a parsed status a table row states. */
function summary(parsed: ParsedStatus): unknown {
  if (!parsed.ok) return { problem: parsed.problem };
  const { jobId, result, stage, error, videoUrl } = parsed.status;
  return { jobId, result, stage, error, videoUrl };
}

const v2 = (data: unknown, error: unknown = null): unknown => ({ error, data });

describe('heygen-v2 readStatus', () => {
  const id = { video_translate_id: 'vt_1', title: 'New Video' };
  it.each([
    [
      'pending, queued',
      v2({ ...id, status: 'pending', url: null, message: null }),
      { jobId: 'vt_1', result: 'pending', stage: 'pending', error: undefined, videoUrl: undefined },
    ],
    [
      'running',
      v2({ ...id, status: 'running', url: null, message: null }),
      { jobId: 'vt_1', result: 'pending', stage: 'running', error: undefined, videoUrl: undefined },
    ],
    [
      'success, with the video URL',
      v2({ ...id, status: 'success', url: 'https://files.test/v.mp4', message: null }),
      {
        jobId: 'vt_1',
        result: 'completed',
        stage: 'success',
        error: undefined,
        videoUrl: 'https://files.test/v.mp4',
      },
    ],
    [
      'failed, with HeyGen message',
      v2({ ...id, status: 'failed', url: null, message: 'No speech detected' }),
      {
        jobId: 'vt_1',
        result: 'error',
        stage: 'failed',
        error: { code: 'translation_failed', message: 'No speech detected' },
        videoUrl: undefined,
      },
    ],
    [
      'failed without a message',
      v2({ ...id, status: 'failed', url: null, message: null }),
      {
        jobId: 'vt_1',
        result: 'error',
        stage: 'failed',
        error: { code: 'translation_failed', message: 'HeyGen gave no message' },
        videoUrl: undefined,
      },
    ],
    [
      'v3 word completed is unknown to v2',
      v2({ ...id, status: 'completed', url: 'https://files.test/v.mp4' }),
      { problem: "unknown HeyGen status 'completed'; expected pending, running, success or failed" },
    ],
    [
      'an unknown word',
      v2({ ...id, status: 'rendering' }),
      { problem: "unknown HeyGen status 'rendering'; expected pending, running, success or failed" },
    ],
    [
      'no status',
      v2({ ...id }),
      { problem: 'unknown HeyGen status none; expected pending, running, success or failed' },
    ],
    [
      'success without a URL',
      v2({ ...id, status: 'success', url: null }),
      { problem: "the status is success but 'url' holds no URL" },
    ],
    ['no data', { error: null }, { problem: "the body has no 'data' object" }],
    ['this library protocol body', { result: 'completed' }, { problem: "the body has no 'data' object" }],
    [
      'an error envelope on a 200',
      v2(null, { code: 40009, message: 'Invalid credentials provided' }),
      { problem: 'the answer holds an error: Invalid credentials provided' },
    ],
    ['not an object', 'success', { problem: 'expected a JSON object with a data field' }],
  ])('%s', (_name, body, expected) => {
    expect(summary(heygenV2.readStatus(body))).toEqual(expected);
  });
});

describe('heygen-v3 readStatus', () => {
  const data = (fields: Record<string, unknown>): unknown => ({
    data: { video_translation_id: 'vt_9', output_language: 'Spanish (Spain)', ...fields },
  });
  it.each([
    ['pending', data({ status: 'pending' }), { result: 'pending', stage: 'pending' }],
    ['running', data({ status: 'running' }), { result: 'pending', stage: 'running' }],
    [
      'completed, with video_url',
      data({ status: 'completed', video_url: 'https://files.test/es.mp4' }),
      { result: 'completed', stage: 'completed', videoUrl: 'https://files.test/es.mp4' },
    ],
    [
      'failed, with failure_message',
      data({ status: 'failed', failure_message: 'Video too long for this plan' }),
      {
        result: 'error',
        stage: 'failed',
        error: { code: 'translation_failed', message: 'Video too long for this plan' },
      },
    ],
  ])('%s', (_name, body, expected) => {
    expect(summary(heygenV3.readStatus(body))).toEqual({
      jobId: 'vt_9',
      error: undefined,
      videoUrl: undefined,
      ...expected,
    });
  });

  it.each([
    [
      'v2 word success',
      data({ status: 'success', url: 'https://x.test' }),
      "unknown HeyGen status 'success'",
    ],
    ['upper case', data({ status: 'COMPLETED' }), "unknown HeyGen status 'COMPLETED'"],
    ['a number', data({ status: 3 }), 'unknown HeyGen status 3'],
    ['completed without video_url', data({ status: 'completed' }), "'video_url' holds no URL"],
    [
      'the v3 error envelope',
      { error: { code: 'not_found', message: 'Video translation not found', doc_url: 'https://d.test' } },
      'the answer holds an error: Video translation not found',
    ],
    ['data is an array', { data: [] }, "the body has no 'data' object"],
  ])('refuses %s', (_name, body, problem) => {
    const parsed = heygenV3.readStatus(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it('reads the id from id when video_translation_id is absent', () => {
    const parsed = heygenV3.readStatus({ data: { id: 'vt_2', status: 'pending' } });
    expect(parsed.ok && parsed.status.jobId).toBe('vt_2');
  });

  it('never reads a word outside the four as pending (property)', () => {
    const known = ['pending', 'running', 'completed', 'failed'];
    fc.assert(
      fc.property(
        fc.string().filter((w) => !known.includes(w)),
        (word) => !heygenV3.readStatus({ data: { status: word } }).ok,
      ),
    );
  });
});

describe('heygen paths', () => {
  it('puts the encoded id under each version', () => {
    expect(heygenV2.statusUrl(BASE, 'a/b')).toBe('https://api.heygen.test/v2/video_translate/a%2Fb');
    expect(heygenV3.statusUrl(BASE, 'vt_1')).toBe('https://api.heygen.test/v3/video-translations/vt_1');
  });

  it('refuses a wait without a job id: HeyGen has no default job', () => {
    expect(() => heygenV3.statusUrl(BASE, undefined)).toThrow(ConfigurationError);
    expect(() => heygenV2.statusUrl(BASE, undefined)).toThrow(/HeyGen has no default job/);
  });
});

describe('heygen create', () => {
  it('v2 sends the body as given, with no idempotency', () => {
    const input = { video_url: 'https://v.test/a.mp4', output_language: 'Spanish', title: 'Demo' };
    const request = heygenV2.createRequest?.(BASE, input);
    expect(request).toEqual({
      url: 'https://api.heygen.test/v2/video_translate',
      body: JSON.stringify(input),
      idempotent: false,
    });
  });

  it('v3 sends the body as given, idempotently', () => {
    const input = {
      video: { type: 'url', url: 'https://v.test/a.mp4' },
      output_languages: ['Spanish (Spain)', 'German'],
    } as const;
    expect(heygenV3.createRequest?.(BASE, input)).toEqual({
      url: 'https://api.heygen.test/v3/video-translations',
      body: JSON.stringify(input),
      idempotent: true,
    });
  });

  it('v3 returns every id, and the first job URL', () => {
    const created = heygenV3.readCreated?.({ data: { video_translation_ids: ['a', 'b'] } }, null, BASE);
    expect(created).toMatchObject({
      ok: true,
      ids: ['a', 'b'],
      url: 'https://api.heygen.test/v3/video-translations/a',
      status: { jobId: 'a', result: 'pending' },
    });
  });

  it.each([
    [{ data: { video_translation_ids: [] } }, 'not a non-empty array'],
    [{ data: { video_translation_ids: ['a', 7] } }, 'not a non-empty array'],
    [{ data: {} }, 'not a non-empty array'],
    [{ error: { code: 'invalid_parameter', message: 'bad url' } }, 'bad url'],
  ])('v3 refuses the answer %j', (body, problem) => {
    const created = heygenV3.readCreated?.(body, null, BASE);
    expect(created?.ok).toBe(false);
    if (created?.ok === false) expect(created.problem).toContain(problem);
  });

  it('v2 reads data.video_translate_id', () => {
    expect(
      heygenV2.readCreated?.({ error: null, data: { video_translate_id: 'vt_3' } }, null, BASE),
    ).toMatchObject({
      ok: true,
      ids: ['vt_3'],
    });
    expect(heygenV2.readCreated?.({ error: null, data: {} }, null, BASE)).toEqual({
      ok: false,
      problem: "the answer has no 'data.video_translate_id'",
    });
  });

  it.each([
    ['v2, empty', heygenV2, {}, ['input.video_url', 'input.output_language']],
    ['v2, a number title', heygenV2, { video_url: 'u', output_language: 'es', title: 3 }, ['input.title']],
    ['v2, not an object', heygenV2, 'video.mp4', ['input']],
    ['v3, empty', heygenV3, {}, ['input.video', 'input.output_languages']],
    [
      'v3, a bad mode and no languages',
      heygenV3,
      { video: { type: 'url', url: 'u' }, output_languages: [], mode: 'fast' },
      ['input.output_languages', 'input.mode'],
    ],
    [
      'v3, an asset without its id',
      heygenV3,
      { video: { type: 'asset_id' }, output_languages: ['German'] },
      ['input.video'],
    ],
    ['v3, good', heygenV3, { video: { type: 'asset_id', asset_id: 'a1' }, output_languages: ['German'] }, []],
  ])('checkInput: %s', (_name, adapter, input, options) => {
    expect(adapter.checkInput?.(input).map((issue) => issue.option)).toEqual(options);
  });
});
