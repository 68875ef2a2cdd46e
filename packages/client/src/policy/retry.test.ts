import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../options/defaults.js';
import { isTransientFailure, type RequestFailure } from './failure.js';
import { DEADLINE_MARGIN_MS, decideRetry, retryDelay, type RetryInput, type RetryOptions } from './retry.js';
import { RetryBudget } from './retry-budget.js';

const retry = DEFAULTS.retry;
const top = (): number => 0.999999;
const zero = (): number => 0;

describe('isTransientFailure', () => {
  it.each([
    [{ kind: 'network' }, true],
    [{ kind: 'timeout' }, true],
    [{ kind: 'malformed' }, true],
    ...[408, 425, 429, 500, 502, 503, 504, 599].map((status) => [{ kind: 'http', status }, true] as const),
    ...[400, 401, 403, 404, 405, 410, 413, 415, 422, 501, 505, 301, 200].map(
      (status) => [{ kind: 'http', status }, false] as const,
    ),
    [{ kind: 'http' }, false],
    // A conflict the server says will pass (a create in progress under the same key), and one it does not.
    [{ kind: 'http', status: 409, retryAfterMs: 1000 }, true],
    [{ kind: 'http', status: 409 }, false],
  ] as [RequestFailure, boolean][])('%j is transient: %s', (failure, transient) => {
    expect(isTransientFailure(failure)).toBe(transient);
  });
});

describe('retryDelay', () => {
  it.each([
    [1, 125],
    [2, 250],
    [3, 500],
    [8, 16_000],
    [9, 30_000],
    [100, 30_000],
  ])('after %d failures the ceiling is %d ms', (failures, ceiling) => {
    expect(retryDelay(failures, { kind: 'network' }, retry, top)).toBeCloseTo(ceiling, -1);
  });

  it.each<[string, number, Partial<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>>, number]>([
    ['a first blip: the base ceiling', 1, {}, 125],
    ['blips in a row: the ceiling stops at 1 s', 9, {}, 1_000],
    ['a lower maxDelayMs still caps', 9, { maxDelayMs: 400 }, 400],
    ['a base above the blip cap is kept', 9, { baseDelayMs: 5_000 }, 5_000],
  ])('while the server answers others (a blip), %s', (_name, failures, options, ceiling) => {
    const delay = retryDelay(failures, { kind: 'network' }, { ...retry, ...options }, top, true);
    expect(delay).toBeCloseTo(ceiling, -1);
  });

  it('a blip still honours Retry-After', () => {
    const failure: RequestFailure = { kind: 'http', status: 503, retryAfterMs: 5_000 };
    expect(retryDelay(9, failure, retry, zero, true)).toBe(5_000);
  });

  it('uses full jitter: a zero draw retries at once', () => {
    expect(retryDelay(5, { kind: 'network' }, retry, zero)).toBe(0);
  });

  it('honours Retry-After as a floor', () => {
    expect(retryDelay(1, { kind: 'http', status: 503, retryAfterMs: 10_000 }, retry, zero)).toBe(10_000);
  });

  it('spreads up to 20% above a Retry-After so clients do not return together', () => {
    expect(retryDelay(1, { kind: 'http', status: 429, retryAfterMs: 10_000 }, retry, top)).toBeCloseTo(
      12_000,
      0,
    );
  });

  it('caps a Retry-After above maxRetryAfterMs', () => {
    expect(retryDelay(1, { kind: 'http', status: 503, retryAfterMs: 3_600_000 }, retry, top)).toBe(
      retry.maxRetryAfterMs,
    );
  });

  it('stays within [0, max(maxDelayMs, maxRetryAfterMs)] and is never NaN', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }),
        fc.double({ noNaN: false }),
        (failures, retryAfterMs, u) => {
          const failure: RequestFailure =
            retryAfterMs === undefined ? { kind: 'network' } : { kind: 'http', status: 503, retryAfterMs };
          const delay = retryDelay(failures, failure, retry, () => u);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.max(retry.maxDelayMs, retry.maxRetryAfterMs));
        },
      ),
    );
  });

  it('without Retry-After stays within [0, the backoff ceiling]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (failures, u) => {
          const delay = retryDelay(failures, { kind: 'timeout' }, retry, () => u);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(
            Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failures - 1)),
          );
        },
      ),
    );
  });
});

function input(overrides: Partial<RetryInput> = {}): RetryInput {
  return {
    consecutiveFailures: 1,
    failure: { kind: 'network' },
    retry,
    remainingMs: Infinity,
    budget: undefined,
    random: top,
    ...overrides,
  };
}

describe('decideRetry', () => {
  it('retries a transient failure after the backoff', () => {
    const decision = decideRetry(input());
    expect(decision.retry).toBe(true);
    if (decision.retry) expect(decision.delayMs).toBeCloseTo(125, -1);
  });

  it('does not retry what will not fix itself', () => {
    expect(decideRetry(input({ failure: { kind: 'http', status: 404 } }))).toEqual({
      retry: false,
      reason: 'not_transient',
    });
  });

  it('stops after maxRetries failures in a row', () => {
    expect(decideRetry(input({ consecutiveFailures: retry.maxRetries }))).toMatchObject({ retry: true });
    expect(decideRetry(input({ consecutiveFailures: retry.maxRetries + 1 }))).toEqual({
      retry: false,
      reason: 'max_retries',
    });
  });

  it('never retries when maxRetries is 0', () => {
    expect(decideRetry(input({ retry: { ...retry, maxRetries: 0 } }))).toEqual({
      retry: false,
      reason: 'max_retries',
    });
  });

  it('gives up at the deadline', () => {
    expect(decideRetry(input({ remainingMs: 0 }))).toEqual({ retry: false, reason: 'deadline' });
    expect(decideRetry(input({ remainingMs: DEADLINE_MARGIN_MS }))).toEqual({
      retry: false,
      reason: 'deadline',
    });
  });

  it('gives up when the server asks to wait past the deadline', () => {
    const failure: RequestFailure = { kind: 'http', status: 503, retryAfterMs: 60_000 };
    expect(decideRetry(input({ failure, remainingMs: 30_000 }))).toEqual({
      retry: false,
      reason: 'deadline',
    });
  });

  it('shortens the backoff to retry just before the deadline, never sleeping past it', () => {
    const decision = decideRetry(input({ consecutiveFailures: 8, remainingMs: 5_000 }));
    expect(decision).toEqual({ retry: true, delayMs: 5_000 - DEADLINE_MARGIN_MS, probe: false });
  });

  it('slows to an unpaid probe at the slowest pace once the shared budget is spent', () => {
    const budget = new RetryBudget({ capacity: 5, retryCost: 5 });
    expect(decideRetry(input({ budget }))).toMatchObject({ retry: true, probe: false });
    const probe = decideRetry(input({ budget, random: () => 0 }));
    expect(probe).toEqual({ retry: true, probe: true, delayMs: DEFAULTS.retry.maxDelayMs });
    expect(decideRetry(input({ budget, random: () => 0.999 }))).toMatchObject({ probe: true });
    expect(budget.available).toBe(0);
  });

  it('spends nothing on a failure it will not retry', () => {
    const budget = new RetryBudget({ capacity: 5, retryCost: 5 });
    decideRetry(input({ budget, failure: { kind: 'http', status: 400 } }));
    expect(budget.available).toBe(5);
  });

  it('never sleeps past the deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -1_000, max: 600_000 }),
        fc.option(fc.integer({ min: 0, max: 1e7 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (consecutiveFailures, remainingMs, retryAfterMs, u) => {
          const failure: RequestFailure = {
            kind: 'http',
            status: 503,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          };
          const decision = decideRetry(input({ consecutiveFailures, remainingMs, failure, random: () => u }));
          if (decision.retry) {
            expect(decision.delayMs).toBeGreaterThanOrEqual(0);
            expect(decision.delayMs).toBeLessThan(remainingMs);
          }
        },
      ),
    );
  });
});
