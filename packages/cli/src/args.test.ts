import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, parseCreateArgs, parseDemoArgs, parseStatusArgs, parseWaitArgs } from './args.js';

describe('parseWaitArgs', () => {
  it('fills in the defaults', () => {
    expect(parseWaitArgs([], {})).toEqual({
      baseUrl: DEFAULT_BASE_URL,
      apiKey: undefined,
      json: false,
      jobId: undefined,
      timeoutMs: undefined,
      transport: 'auto',
    });
  });

  it('reads every flag', () => {
    expect(
      parseWaitArgs(
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
          '--json',
        ],
        {},
      ),
    ).toEqual({
      baseUrl: 'http://h:1',
      apiKey: 'k',
      json: true,
      jobId: 'job_1',
      timeoutMs: 90_000,
      transport: 'sse',
    });
  });

  it('takes the URL and key from the environment, flags first', () => {
    const env = { TRANSLATION_STATUS_URL: 'https://env:9', TRANSLATION_STATUS_API_KEY: 'secret' };
    expect(parseWaitArgs([], env)).toMatchObject({ baseUrl: 'https://env:9', apiKey: 'secret' });
    expect(parseWaitArgs(['--base-url', 'http://flag:1'], env)).toMatchObject({ baseUrl: 'http://flag:1' });
  });

  it('returns help for --help and -h', () => {
    expect(parseWaitArgs(['--help'], {})).toBe('help');
    expect(parseWaitArgs(['-h'], {})).toBe('help');
  });

  it.each([
    [['--timeout', 'soon'], {}, 'invalid --timeout: "soon". Use a duration such as 90s'],
    [
      ['--transport', 'carrier-pigeon'],
      {},
      'invalid --transport: "carrier-pigeon". It must be one of auto, sse',
    ],
    [['--base-url', 'ftp://x'], {}, 'invalid --base-url: "ftp://x". It must be an http:// or https:// URL.'],
    [[], { TRANSLATION_STATUS_URL: 'nope' }, 'invalid TRANSLATION_STATUS_URL: "nope"'],
    [['a', 'b'], {}, "unexpected argument 'b'"],
    [['--nope'], {}, "Unknown option '--nope'"],
    [['--api-key', ''], {}, 'invalid --api-key: it must not be empty.'],
  ])('rejects %j %j', (args, env, message) => {
    expect(() => parseWaitArgs(args, env)).toThrow(message);
  });
});

describe('parseStatusArgs', () => {
  it('takes an optional job id', () => {
    expect(parseStatusArgs(['job_9'], {})).toMatchObject({ jobId: 'job_9' });
    expect(parseStatusArgs([], {})).toMatchObject({ jobId: undefined });
  });

  it('has no --timeout', () => {
    expect(() => parseStatusArgs(['--timeout', '1s'], {})).toThrow("Unknown option '--timeout'");
  });
});

describe('parseCreateArgs', () => {
  it('reads a minimal job', () => {
    expect(parseCreateArgs(['--target', 'es', '--duration', '90'], {})).toMatchObject({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 90,
      lipSync: undefined,
      simulate: undefined,
    });
  });

  it('reads lip sync and the simulation hooks', () => {
    expect(
      parseCreateArgs(
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
      ),
    ).toMatchObject({
      sourceLanguage: 'de',
      targetLanguage: 'fr',
      videoDurationSeconds: 12.5,
      lipSync: false,
      simulate: { durationMs: 3000, outcome: 'error' },
    });
  });

  it.each([
    [['--duration', '90'], '--target is required'],
    [['--target', 'es'], '--duration is required'],
    [['--target', 'es', '--duration', '0'], '--duration is required'],
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
    expect(() => parseCreateArgs(args, {})).toThrow(message);
  });
});

describe('parseDemoArgs', () => {
  it('has defaults that keep the demo short', () => {
    expect(parseDemoArgs([])).toEqual({ timeScale: 0.03, seed: 1, transport: 'auto', json: false });
  });

  it('reads every flag', () => {
    expect(parseDemoArgs(['--time-scale', '0.01', '--seed', '7', '--transport', 'poll', '--json'])).toEqual({
      timeScale: 0.01,
      seed: 7,
      transport: 'poll',
      json: true,
    });
  });

  it.each([
    [['--time-scale', '0'], 'invalid --time-scale: 0'],
    [['--time-scale', '5'], 'invalid --time-scale: 5'],
    [['--seed=-1'], 'invalid --seed: "-1"'],
    [['--seed', '99999999999'], 'invalid --seed: 99999999999'],
  ])('rejects %j', (args, message) => {
    expect(() => parseDemoArgs(args)).toThrow(message);
  });
});
