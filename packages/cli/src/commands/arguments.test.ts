/** Each client command's arguments: what the flags become, and the usage errors, by the command's own parser. */
import { describe, expect, it } from 'vitest';
import { createCommand } from './create.js';
import { demoCommand } from './demo.js';
import { DEFAULT_BASE_URL } from './shared-flags.js';
import { statusCommand } from './status.js';
import { waitCommand } from './wait.js';

describe('wait arguments', () => {
  it('fills in the defaults', () => {
    expect(waitCommand.parse([], {})).toEqual({
      baseUrl: DEFAULT_BASE_URL,
      protocol: 'translation-status',
      apiKey: undefined,
      json: false,
      jobId: undefined,
      timeoutMs: undefined,
      transport: 'auto',
    });
  });

  it('reads every flag', () => {
    expect(
      waitCommand.parse(
        [
          'job_1',
          '--timeout',
          '90s',
          '--transport',
          'sse',
          '--base-url',
          'http://h:1',
          '--api-key',
          'k',
          '--protocol',
          'heygen-v3',
          '--json',
        ],
        {},
      ),
    ).toEqual({
      baseUrl: 'http://h:1',
      protocol: 'heygen-v3',
      apiKey: 'k',
      json: true,
      jobId: 'job_1',
      timeoutMs: 90_000,
      transport: 'sse',
    });
  });

  it('takes the URL and key from the environment, flags first', () => {
    const env = { TRANSLATION_STATUS_URL: 'https://env:9', TRANSLATION_STATUS_API_KEY: 'secret' };
    expect(waitCommand.parse([], env)).toMatchObject({ baseUrl: 'https://env:9', apiKey: 'secret' });
    expect(waitCommand.parse(['--base-url', 'http://flag:1'], env)).toMatchObject({
      baseUrl: 'http://flag:1',
    });
  });

  it.each([
    [
      ['--timeout', 'soon'],
      {},
      'invalid --timeout: "soon". It must be a duration greater than 0 such as 90s',
    ],
    [['--timeout', '-5m'], {}, 'invalid --timeout: "-5m". It must be a duration greater than 0'],
    [
      ['--transport', 'carrier-pigeon'],
      {},
      'invalid --transport: "carrier-pigeon". It must be one of auto, sse',
    ],
    [
      ['--base-url', 'ftp://x'],
      {},
      'invalid --base-url: "ftp://x". It must be an http:// or https:// URL without a user or password',
    ],
    [[], { TRANSLATION_STATUS_URL: 'nope' }, 'invalid TRANSLATION_STATUS_URL: "nope"'],
    // A password in the URL is refused, and not repeated in the message.
    [
      ['--base-url', 'http://me:hunter2@h:1/'],
      {},
      'invalid --base-url: "http://***@h:1/". It must be an http:// or https:// URL without a user or password (use --api-key).',
    ],
    [['a', 'b'], {}, "unexpected argument 'b'"],
    [['--timout', '5s'], {}, 'unknown flag --timout. Did you mean --timeout?'],
    [['--api-key', ''], {}, 'invalid --api-key: (hidden). It must be non-empty text.'],
    [[''], {}, 'the job-id must not be empty'],
  ])('rejects %j %j', (args, env, message) => {
    expect(() => waitCommand.parse(args, env)).toThrow(message);
  });
});

describe('status arguments', () => {
  it('takes an optional job id', () => {
    expect(statusCommand.parse(['job_9'], {})).toMatchObject({ jobId: 'job_9' });
    expect(statusCommand.parse([], {})).toMatchObject({ jobId: undefined });
  });

  it('rejects an empty job id', () => {
    expect(() => statusCommand.parse([''], {})).toThrow('the job-id must not be empty');
  });
});

describe('create arguments', () => {
  it('reads a minimal job', () => {
    expect(createCommand.parse(['--target', 'es', '--duration', '90'], {})).toMatchObject({
      input: { sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 90 },
    });
  });

  it('reads lip sync and the simulation hooks', () => {
    expect(
      createCommand.parse(
        [
          '--source',
          'de',
          '--target',
          'fr',
          '--duration',
          '12.5',
          '--no-lip-sync',
          '--simulate-duration-ms',
          '3000',
          '--simulate-outcome',
          'error',
        ],
        {},
      ).input,
    ).toEqual({
      sourceLanguage: 'de',
      targetLanguage: 'fr',
      videoDurationSeconds: 12.5,
      lipSync: false,
      simulate: { durationMs: 3000, outcome: 'error' },
    });
  });

  it('reads a callback URL and its events', () => {
    const base = ['--target', 'es', '--duration', '9', '--callback-url', 'http://127.0.0.1:8080/hooks'];
    expect(createCommand.parse(base, {}).input).toMatchObject({ callbackUrl: 'http://127.0.0.1:8080/hooks' });
    expect(
      createCommand.parse([...base, '--callback-events', 'job.stage_changed, job.failed'], {}).input,
    ).toMatchObject({ callbackEvents: ['job.stage_changed', 'job.failed'] });
  });

  it.each([
    [['--target', 'es', '--duration', '9', '--callback-url', 'ftp://x'], 'invalid --callback-url: "ftp://x"'],
    [
      ['--target', 'es', '--duration', '9', '--callback-events', 'job.failed'],
      '--callback-events needs --callback-url',
    ],
    [
      ['--target', 'es', '--duration', '9', '--callback-url', 'http://h/', '--callback-events', 'job.done'],
      "--callback-events: 'job.done' is not an event type",
    ],
    [
      ['--duration', '90'],
      '--target is required: language to translate into, e.g. es (HeyGen: its names, comma-separated for v3).',
    ],
    [['--target', 'es'], '--duration is required: length of the video in seconds.'],
    // 0 and negative lengths are out of range, not missing, and say the range the help shows.
    [
      ['--target', 'es', '--duration', '0'],
      'invalid --duration: "0". It must be a number greater than 0 and at most 14400.',
    ],
    [
      ['--target', 'es', '--duration', '-5'],
      'invalid --duration: "-5". It must be a number greater than 0 and at most 14400.',
    ],
    [['--target', 'es', '--duration', 'long'], 'invalid --duration: "long"'],
    [
      ['--target', 'es', '--duration', '9', '--simulate-outcome', 'maybe'],
      'invalid --simulate-outcome: "maybe"',
    ],
    [
      ['--target', 'es', '--duration', '9', '--simulate-duration-ms', '1.5'],
      'invalid --simulate-duration-ms: "1.5"',
    ],
  ])('rejects %j', (args, message) => {
    expect(() => createCommand.parse(args, {})).toThrow(message);
  });
});

describe('demo arguments', () => {
  it('has defaults that keep the demo short', () => {
    expect(demoCommand.parse([], {})).toEqual({ timeScale: 0.03, seed: 1, transport: 'auto', json: false });
  });

  it('reads every flag', () => {
    expect(
      demoCommand.parse(['--time-scale', '0.01', '--seed', '7', '--transport', 'poll', '--json'], {}),
    ).toEqual({
      timeScale: 0.01,
      seed: 7,
      transport: 'poll',
      json: true,
    });
  });

  it.each([
    [['--time-scale', '0'], 'invalid --time-scale: "0". It must be a number greater than 0 and at most 1.'],
    [['--time-scale', '5'], 'invalid --time-scale: "5"'],
    [['--seed=-1'], 'invalid --seed: "-1". It must be a whole number from 0 to 4294967295.'],
    [['--seed', '-1'], 'invalid --seed: "-1". It must be a whole number from 0 to 4294967295.'],
    [['--seed', '99999999999'], 'invalid --seed: "99999999999"'],
  ])('rejects %j', (args, message) => {
    expect(() => demoCommand.parse(args, {})).toThrow(message);
  });
});
