import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_RETRY_AFTER_MS,
  nextStep,
  parseRetryAfter,
  RETRY_DELAYS_MS,
  RETRY_JITTER,
  type AttemptOutcome,
} from './retry-schedule.js';

const answered = (status: number, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'answered',
  status,
  retryAfterMs,
});
const noAnswer: AttemptOutcome = { kind: 'failed', error: 'ECONNREFUSED' };

describe('nextStep', () => {
  it.each([
    [answered(200), 'delivered'],
    [answered(204), 'delivered'],
    [answered(299), 'delivered'],
    [answered(410), 'gone'],
    [answered(301), 'rejected'],
    [answered(307), 'rejected'],
    [answered(400), 'rejected'],
    [answered(401), 'rejected'],
    [answered(404), 'rejected'],
    [answered(408), 'rejected'],
    [answered(429), 'retry'],
    [answered(500), 'retry'],
    [answered(502), 'retry'],
    [answered(503), 'retry'],
    [noAnswer, 'retry'],
  ] as const)('after %o: %s', (outcome, kind) => {
    expect(nextStep(outcome, 1, 1, 0.5).kind).toBe(kind);
  });

  it('follows the documented schedule at time scale 1 without jitter (random 0.5)', () => {
    const delays = RETRY_DELAYS_MS.map((_, index) => nextStep(noAnswer, index + 1, 1, 0.5));
    expect(delays).toEqual(RETRY_DELAYS_MS.map((delayMs) => ({ kind: 'retry', delayMs })));
    expect(nextStep(noAnswer, RETRY_DELAYS_MS.length + 1, 1, 0.5)).toEqual({ kind: 'gave_up' });
  });

  it('shortens the schedule by the time scale', () => {
    expect(nextStep(noAnswer, 1, 0.001, 0.5)).toEqual({ kind: 'retry', delayMs: 5 });
    expect(nextStep(noAnswer, 2, 0.001, 0.5)).toEqual({ kind: 'retry', delayMs: 300 });
  });

  it('honours Retry-After on 429 and 503 (capped), not on other answers', () => {
    expect(nextStep(answered(429, 60_000), 1, 1, 0.5)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextStep(answered(503, 60_000), 1, 0.001, 0.5)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextStep(answered(503, 10 * MAX_RETRY_AFTER_MS), 1, 0.001, 0.5)).toEqual({
      kind: 'retry',
      delayMs: MAX_RETRY_AFTER_MS,
    });
    expect(nextStep(answered(500, 60_000), 1, 0.001, 0.5)).toEqual({ kind: 'retry', delayMs: 5 });
  });

  it('keeps every retry within the jitter of its step and never sooner than Retry-After (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: RETRY_DELAYS_MS.length }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.nat({ max: 2 * MAX_RETRY_AFTER_MS }), { nil: undefined }),
        (attempt, timeScale, random, retryAfterMs) => {
          const step = nextStep(answered(503, retryAfterMs), attempt, timeScale, random);
          if (step.kind !== 'retry') throw new Error(`expected a retry, got ${step.kind}`);
          const base = (RETRY_DELAYS_MS[attempt - 1] ?? 0) * timeScale;
          const floor = Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
          expect(step.delayMs).toBeGreaterThanOrEqual(Math.floor(Math.max(base * (1 - RETRY_JITTER), floor)));
          expect(step.delayMs).toBeLessThanOrEqual(Math.ceil(Math.max(base * (1 + RETRY_JITTER), floor)));
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2027, 0, 1);
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    [new Date(now + 30_000).toUTCString(), 30_000],
    [new Date(now - 30_000).toUTCString(), 0],
    ['soon', undefined],
    ['-1', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
