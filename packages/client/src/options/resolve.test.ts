import { describe, expect, it } from 'vitest';
import { createManualClock } from '../common/clock.js';
import { ConfigurationError } from '../errors/index.js';
import { DEFAULTS } from './defaults.js';
import { resolveClientOptions, resolveWaitOptions } from './resolve.js';
import type { ClientOptions } from './types.js';
import { RetryBudget } from '../policy/retry-budget.js';

const base: ClientOptions = { baseUrl: 'http://localhost:8080' };

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('DEFAULTS', () => {
  it('is frozen, nested blocks included', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DEFAULTS.polling)).toBe(true);
    expect(Object.isFrozen(DEFAULTS.retry)).toBe(true);
  });
});

describe('resolveClientOptions', () => {
  it('fills in every default', () => {
    const o = resolveClientOptions(base);
    expect(o.baseUrl).toBe('http://localhost:8080/');
    expect(o.transport).toBe('auto');
    expect(o.timeoutMs).toBe(DEFAULTS.timeoutMs);
    expect(o.polling).toEqual({ ...DEFAULTS.polling, schedule: undefined });
    expect(o.retry.budget).toBeInstanceOf(RetryBudget);
    expect(o.batch).toEqual({ enabled: true, maxIds: 100, streamBelow: 7 });
    expect(o.logLevel).toBe('warn');
  });

  it('keeps a base path under which job paths resolve', () => {
    const o = resolveClientOptions({ baseUrl: 'https://x.example/api/v1?x=1#y' });
    expect(o.baseUrl).toBe('https://x.example/api/v1/');
    expect(new URL('jobs', o.baseUrl).href).toBe('https://x.example/api/v1/jobs');
  });

  it('sends the API key as a bearer token and lower-cases header names', () => {
    const o = resolveClientOptions({ ...base, apiKey: 'k1', headers: { 'X-Trace': 't' } });
    expect(o.requestHeaders).toEqual({ 'x-trace': 't', authorization: 'Bearer k1' });
  });

  it('merges partial polling and retry options over the defaults', () => {
    const o = resolveClientOptions({ ...base, polling: { maxDelayMs: 30_000 }, retry: { maxRetries: 2 } });
    expect(o.polling.maxDelayMs).toBe(30_000);
    expect(o.polling.initialDelayMs).toBe(DEFAULTS.polling.initialDelayMs);
    expect(o.retry.maxRetries).toBe(2);
  });

  it('accepts a shared RetryBudget as is, and false to disable it', () => {
    const budget = new RetryBudget();
    expect(resolveClientOptions({ ...base, retry: { budget } }).retry.budget).toBe(budget);
    expect(resolveClientOptions({ ...base, retry: { budget: false } }).retry.budget).toBeUndefined();
    expect(
      resolveClientOptions({ ...base, retry: { budget: { capacity: 50 } } }).retry.budget?.available,
    ).toBe(50);
  });

  it('uses the injected clock and random', () => {
    const clock = createManualClock();
    const random = (): number => 0.5;
    const o = resolveClientOptions({ ...base, clock, random });
    expect(o.clock).toBe(clock);
    expect(o.random).toBe(random);
  });

  it('accepts an infinite wait timeout', () => {
    expect(resolveClientOptions({ ...base, timeoutMs: Infinity }).timeoutMs).toBe(Infinity);
  });

  it.each([
    [{ baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ baseUrl: 42 }, 'baseUrl'],
    [{ ...base, apiKey: '' }, 'apiKey'],
    [{ ...base, transport: 'carrier-pigeon' }, 'transport'],
    [{ ...base, requestTimeoutMs: 0 }, 'requestTimeoutMs'],
    [{ ...base, requestTimeoutMs: Infinity }, 'requestTimeoutMs'],
    [{ ...base, timeoutMs: -1 }, 'timeoutMs'],
    [{ ...base, timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ ...base, longPollWaitS: 1.5 }, 'longPollWaitS'],
    [{ ...base, polling: { jitter: 1.5 } }, 'polling.jitter'],
    [{ ...base, polling: { multiplier: 0.5 } }, 'polling.multiplier'],
    [{ ...base, polling: { minDelayMs: -1 } }, 'polling.minDelayMs'],
    [{ ...base, polling: { maxDelayMs: 100 } }, 'polling.maxDelayMs'],
    [{ ...base, polling: { initialDelayMs: 100 } }, 'polling.initialDelayMs'],
    [{ ...base, polling: { schedule: 5 } }, 'polling.schedule'],
    [{ ...base, polling: 'fast' }, 'polling'],
    [{ ...base, retry: { maxRetries: -1 } }, 'retry.maxRetries'],
    [{ ...base, retry: { maxDelayMs: 100 } }, 'retry.maxDelayMs'],
    [{ ...base, retry: { budget: 'lots' } }, 'retry.budget'],
    [{ ...base, retry: { budget: { capacity: -5 } } }, 'retry.budget.capacity'],
    [{ ...base, logLevel: 'loud' }, 'logLevel'],
    [{ ...base, logger: {} }, 'logger'],
    [{ ...base, clock: { now: (): number => 0 } }, 'clock'],
    [{ ...base, random: 0.5 }, 'random'],
    [{ ...base, headers: { a: 1 } }, 'headers.a'],
    [{ ...base, batch: { maxIds: 101 } }, 'batch.maxIds'],
    [{ ...base, batch: { enabled: 'yes' } }, 'batch.enabled'],
  ])('refuses %j, naming %s', (options, option) => {
    const error = configurationError(() => resolveClientOptions(options as unknown as ClientOptions));
    expect(error.option).toBe(option);
  });

  it('says what was wrong, where, and what is accepted', () => {
    const error = configurationError(() => resolveClientOptions({ ...base, polling: { jitter: 2 } }));
    expect(error.message).toBe('Invalid option polling.jitter: got 2, expected a share in [0, 1].');
  });

  it.each([
    [
      { polling: { minDelayMs: 500, maxDelayMs: 100 } },
      'a number of milliseconds >= minDelayMs, i.e. in [500, ',
    ],
    [{ polling: { minDelayMs: 0, maxDelayMs: 0 } }, 'a number of milliseconds >= minDelayMs, i.e. in [1, '],
    [
      { retry: { budget: { capacity: 5, retryCost: 6 } } },
      'a number of tokens up to capacity, i.e. in [0, 5]',
    ],
    [{ timeoutMs: -1 }, 'a number of milliseconds in [1, 2147483647] or Infinity'],
  ])('a bound set by another option is named and shown: %j', (options, expected) => {
    const error = configurationError(() => resolveClientOptions({ ...base, ...options }));
    expect(error.message).toContain(expected);
  });
});

describe('resolveWaitOptions', () => {
  const client = resolveClientOptions(base);

  it('inherits the client options and marks the wait as shareable', () => {
    const wait = resolveWaitOptions(client, undefined);
    expect(wait.timeoutMs).toBe(client.timeoutMs);
    expect(wait.polling).toBe(client.polling);
    expect(wait.retry).toBe(client.retry);
    expect(wait.usesClientDefaults).toBe(true);
  });

  it('stays shareable with only a signal, a timeout or callbacks', () => {
    const wait = resolveWaitOptions(client, {
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      onPoll: () => undefined,
    });
    expect(wait.usesClientDefaults).toBe(true);
    expect(wait.timeoutMs).toBe(5_000);
  });

  it('overrides polling per wait and keeps the client budget', () => {
    const wait = resolveWaitOptions(client, { polling: { jitter: 0 }, retry: { maxRetries: 1 } });
    expect(wait.polling.jitter).toBe(0);
    expect(wait.polling.maxDelayMs).toBe(client.polling.maxDelayMs);
    expect(wait.retry.maxRetries).toBe(1);
    expect(wait.retry.budget).toBe(client.retry.budget);
    expect(wait.usesClientDefaults).toBe(false);
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ signal: 'abort' }, 'signal'],
    [{ transport: 'x' }, 'transport'],
    [{ polling: { maxDelayMs: 10 } }, 'polling.maxDelayMs'],
    [{ retry: { budget: false } }, 'retry.budget'],
    [{ onStatus: 'yes' }, 'onStatus'],
  ])('refuses %j, naming %s', (options, option) => {
    const error = configurationError(() => resolveWaitOptions(client, options));
    expect(error.option).toBe(option);
  });
});

describe('unknown options', () => {
  it.each([
    [{ ...base, timeoutMS: 5 }, 'timeoutMS', 'timeoutMs'],
    [{ ...base, baseURL: 'http://x' }, 'baseURL', 'baseUrl'],
    [{ ...base, api_key: 'k' }, 'api_key', 'apiKey'],
    [{ ...base, polling: { maxDelay: 5 } }, 'polling.maxDelay', 'maxDelayMs'],
    [{ ...base, retry: { maxRetires: 1 } }, 'retry.maxRetires', 'maxRetries'],
    [{ ...base, retry: { budget: { capcity: 5 } } }, 'retry.budget.capcity', 'capacity'],
    [{ ...base, batch: { maxID: 5 } }, 'batch.maxID', 'maxIds'],
    [{ ...base, verbose: true }, 'verbose', undefined],
  ])('%j is refused as %s, suggesting %s', (options, option, suggestion) => {
    const error = configurationError(() => resolveClientOptions(options as unknown as ClientOptions));
    expect(error.issues).toEqual([expect.objectContaining({ option, unknown: true, suggestion })]);
    expect(error.message).toContain(
      suggestion === undefined
        ? `${option}: unknown (known: `
        : `${option}: unknown (did you mean ${suggestion}?)`,
    );
  });

  it('never shows or keeps the value of an unknown key (it may be a mistyped secret)', () => {
    const error = configurationError(() =>
      resolveClientOptions({ ...base, apikey: 'sk-live-123' } as unknown as ClientOptions),
    );
    expect(error.message).not.toContain('sk-live-123');
    expect(JSON.stringify(error.issues)).not.toContain('sk-live-123');
  });

  it('refuses unknown keys in per-call options, with the keys of that call', () => {
    const client = resolveClientOptions(base);
    const error = configurationError(() =>
      resolveWaitOptions(client, { timeoutMS: 5, polling: { jiter: 0 } }),
    );
    expect(error.issues.map((i) => [i.option, i.suggestion])).toEqual([
      ['timeoutMS', 'timeoutMs'],
      ['polling.jiter', 'jitter'],
    ]);
  });
});

describe('every bad option at once', () => {
  it('names them all in one ConfigurationError, in order', () => {
    const error = configurationError(() =>
      resolveClientOptions({
        baseUrl: 'ftp://x',
        timeoutMS: 5,
        transport: 'pigeon',
        polling: { jitter: 2, minDelayMs: -1 },
        retry: { maxRetries: 1.5 },
        batch: { maxIds: 0 },
      } as unknown as ClientOptions),
    );
    expect(error.issues.map((i) => i.option)).toEqual([
      'timeoutMS',
      'baseUrl',
      'transport',
      'polling.minDelayMs',
      'polling.jitter',
      'retry.maxRetries',
      'batch.maxIds',
    ]);
    expect(error.message).toMatch(
      /^7 invalid options: timeoutMS: unknown \(did you mean timeoutMs\?\); baseUrl: got/,
    );
    expect(error.option).toBe('timeoutMS');
  });
});

describe('baseUrl', () => {
  it('accepts a URL object', () => {
    expect(resolveClientOptions({ baseUrl: new URL('https://api.example.com/v1') }).baseUrl).toBe(
      'https://api.example.com/v1/',
    );
  });

  it.each(['https://user:hunter2@api.example.com/', 'https://hunter2@api.example.com/'])(
    'refuses credentials in %s without showing them, pointing at apiKey and headers',
    (baseUrl) => {
      const error = configurationError(() => resolveClientOptions({ baseUrl }));
      expect(error.option).toBe('baseUrl');
      expect(error.message).toContain('apiKey');
      expect(error.message).toContain('headers');
      expect(error.message).not.toContain('hunter2');
      expect(error.value).toBeUndefined();
    },
  );

  it('does not show a URL that fails to parse when it may hold a password', () => {
    const error = configurationError(() => resolveClientOptions({ baseUrl: 'http://me:pass word@x' }));
    expect(error.message).not.toContain('pass word');
  });
});

describe('secrets in bad values', () => {
  it.each([
    [{ ...base, apiKey: 'line\nbreak-hunter2' }, 'apiKey'],
    [{ ...base, apiKey: 12345 }, 'apiKey'],
    [{ ...base, headers: { 'x-api-key': 'hunter2\r\n' } }, 'headers.x-api-key'],
    [{ ...base, headers: { authorization: 12345 } }, 'headers.authorization'],
  ])('%j is refused without showing the value', (options, option) => {
    const error = configurationError(() => resolveClientOptions(options as unknown as ClientOptions));
    expect(error.option).toBe(option);
    expect(error.value).toBeUndefined();
    expect(error.message).not.toMatch(/hunter2|12345/);
  });
});
