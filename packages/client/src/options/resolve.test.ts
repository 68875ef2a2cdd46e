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
    expect(error.message).toBe('Invalid option polling.jitter: got 2. Expected a share in [0, 1].');
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
    const error = configurationError(() => resolveWaitOptions(client, options as never));
    expect(error.option).toBe(option);
  });
});
