import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/index.js';
import { NO_CAPABILITIES } from '../protocol/capabilities.js';
import type { ServerHints } from '../protocol/hints.js';
import { DEFAULTS } from '../options/defaults.js';
import {
  delayBounds,
  nextPollDelay,
  planNextPoll,
  type PollContext,
  type ResolvedPollingOptions,
} from './schedule.js';
import type { JobStatus } from '../protocol/status.js';

const polling: ResolvedPollingOptions = { ...DEFAULTS.polling, schedule: undefined };
const noJitter: ResolvedPollingOptions = { ...polling, jitter: 0 };

const pending: JobStatus = {
  jobId: 'j',
  result: 'pending',
  stage: 'queued',
  progress: undefined,
  etaMs: undefined,
  version: 1,
  error: undefined,
  body: {},
};

const noHints: ServerHints = {
  retryAfterMs: undefined,
  pollAfterMs: undefined,
  etaMs: undefined,
  capabilities: NO_CAPABILITIES,
  eventsUrl: undefined,
  preferenceAppliedWaitS: undefined,
};

function ctx(
  overrides: Partial<Omit<PollContext, 'hints'>> & {
    etaMs?: number | undefined;
    hints?: Partial<ServerHints>;
  } = {},
): PollContext {
  const { etaMs, hints, ...rest } = overrides;
  return {
    attempt: 1,
    elapsedMs: 0,
    remainingMs: Infinity,
    status: { ...pending, etaMs },
    hints: { ...noHints, ...hints },
    previousDelayMs: undefined,
    ...rest,
  };
}

const top = (): number => 0; // random() = 0: no jitter taken off
const bottom = (): number => 0.999999;

describe('nextPollDelay without hints', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 40_000],
    [50, 40_000],
  ])('grows exponentially: attempt %d waits %d ms', (attempt, ms) => {
    expect(nextPollDelay(ctx({ attempt }), noJitter, top)).toBe(ms);
  });

  it('keeps jitter at the cap: delays there spread over [max × (1 − jitter), max]', () => {
    const atCap = ctx({ attempt: 40 });
    expect(nextPollDelay(atCap, polling, top)).toBe(40_000);
    expect(nextPollDelay(atCap, polling, bottom)).toBeCloseTo(32_000, 0);
    expect(nextPollDelay(atCap, polling, () => 0.5)).toBe(36_000);
  });

  it('survives a huge attempt count without overflowing to NaN', () => {
    expect(nextPollDelay(ctx({ attempt: 1e9 }), noJitter, top)).toBe(40_000);
  });
});

describe('nextPollDelay with server hints', () => {
  it('waits the Poll-After-Ms hint, jittered only upwards', () => {
    const c = ctx({ attempt: 9, hints: { pollAfterMs: 5_000, retryAfterMs: 6_000 } });
    expect(nextPollDelay(c, polling, top)).toBe(5_000);
    expect(nextPollDelay(c, polling, bottom)).toBeCloseTo(5_500, 0);
  });

  it('falls back to Retry-After when there is no Poll-After-Ms', () => {
    expect(nextPollDelay(ctx({ hints: { retryAfterMs: 7_000 } }), noJitter, top)).toBe(7_000);
  });

  it('clamps a hint to the configured bounds', () => {
    expect(nextPollDelay(ctx({ hints: { pollAfterMs: 10 } }), noJitter, top)).toBe(polling.minDelayMs);
    expect(nextPollDelay(ctx({ hints: { pollAfterMs: 3_600_000 } }), noJitter, top)).toBe(polling.maxDelayMs);
  });
});

describe('nextPollDelay with an ETA', () => {
  it('sleeps until shortly before the estimate', () => {
    expect(nextPollDelay(ctx({ etaMs: 100_000 }), noJitter, top)).toBe(80_000);
  });

  it('caps an ETA sleep at maxEtaDelayMs', () => {
    expect(nextPollDelay(ctx({ etaMs: 7_200_000 }), noJitter, top)).toBe(300_000);
  });

  it('never polls before the server hint, even when the ETA says sooner', () => {
    expect(nextPollDelay(ctx({ etaMs: 2_000, hints: { pollAfterMs: 5_000 } }), noJitter, top)).toBe(5_000);
  });

  it('polls densely once the estimate is reached', () => {
    expect(nextPollDelay(ctx({ etaMs: 0 }), noJitter, top)).toBe(polling.minDelayMs);
  });

  it('grows again from the last delay when the job overruns its estimate', () => {
    expect(nextPollDelay(ctx({ etaMs: 0, previousDelayMs: 1_000 }), noJitter, top)).toBe(2_000);
    expect(nextPollDelay(ctx({ etaMs: 0, previousDelayMs: 30_000 }), noJitter, top)).toBe(40_000);
  });

  it('ignores the ETA when followEta is off', () => {
    expect(nextPollDelay(ctx({ etaMs: 100_000 }), { ...noJitter, followEta: false }, top)).toBe(1_000);
  });
});

describe('nextPollDelay with a custom schedule', () => {
  it('uses it, clamped to [minDelayMs, maxDelayMs]', () => {
    const with_ = (ms: number): ResolvedPollingOptions => ({ ...polling, schedule: () => ms });
    expect(nextPollDelay(ctx(), with_(5_000), top)).toBe(5_000);
    expect(nextPollDelay(ctx(), with_(1), top)).toBe(polling.minDelayMs);
    expect(nextPollDelay(ctx(), with_(1e9), top)).toBe(polling.maxDelayMs);
  });

  it.each([[-1], [Number.NaN], [Infinity]])('refuses a result of %d with a ConfigurationError', (ms) => {
    expect(() => nextPollDelay(ctx(), { ...polling, schedule: () => ms }, top)).toThrow(ConfigurationError);
  });

  it('receives the context', () => {
    const seen: PollContext[] = [];
    const c = ctx({ attempt: 3 });
    nextPollDelay(c, { ...polling, schedule: (x) => (seen.push(x), 1_000) }, top);
    expect(seen).toEqual([c]);
  });
});

describe('planNextPoll', () => {
  it('sleeps the delay when it fits before the deadline', () => {
    expect(planNextPoll(ctx({ remainingMs: 10_000 }), noJitter, top)).toEqual({
      kind: 'sleep',
      delayMs: 1_000,
      last: false,
    });
  });

  it('squeezes one last poll just before the deadline instead of giving up early', () => {
    const plan = planNextPoll(ctx({ attempt: 10, remainingMs: 20_000 }), noJitter, top);
    expect(plan).toEqual({ kind: 'sleep', delayMs: 19_000, last: true });
  });

  it('leaves 10% of a short remaining time for the request', () => {
    expect(planNextPoll(ctx({ attempt: 10, remainingMs: 5_000 }), noJitter, top)).toEqual({
      kind: 'sleep',
      delayMs: 4_500,
      last: true,
    });
  });

  it('stops at the deadline when no time remains', () => {
    expect(planNextPoll(ctx({ remainingMs: 0 }), polling, top)).toEqual({ kind: 'deadline' });
    expect(planNextPoll(ctx({ remainingMs: -5 }), polling, top)).toEqual({ kind: 'deadline' });
  });

  it('stops at the deadline rather than poll again right after a squeezed poll', () => {
    expect(planNextPoll(ctx({ attempt: 10, remainingMs: 200 }), noJitter, top)).toEqual({ kind: 'deadline' });
  });
});

const arbitraryPolling = fc
  .record({
    minDelayMs: fc.integer({ min: 0, max: 5_000 }),
    spread: fc.integer({ min: 1, max: 600_000 }),
    initialShare: fc.double({ min: 0, max: 1, noNaN: true }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    followEta: fc.boolean(),
    etaMargin: fc.double({ min: 0, max: 0.9, noNaN: true }),
    etaExtra: fc.integer({ min: 0, max: 3_600_000 }),
  })
  .map((r): ResolvedPollingOptions => ({
    minDelayMs: r.minDelayMs,
    maxDelayMs: r.minDelayMs + r.spread,
    initialDelayMs: r.minDelayMs + r.initialShare * r.spread,
    multiplier: r.multiplier,
    jitter: r.jitter,
    followEta: r.followEta,
    etaMargin: r.etaMargin,
    maxEtaDelayMs: r.minDelayMs + r.etaExtra,
    schedule: undefined,
  }));

const optionalMs = fc.option(fc.integer({ min: 0, max: 86_400_000 }), { nil: undefined });

const arbitraryContext = fc
  .record({
    attempt: fc.integer({ min: 1, max: 10_000 }),
    elapsedMs: fc.integer({ min: 0, max: 86_400_000 }),
    remainingMs: fc.oneof(fc.constant(Infinity), fc.integer({ min: -1_000, max: 86_400_000 })),
    etaMs: optionalMs,
    pollAfterMs: optionalMs,
    retryAfterMs: optionalMs,
    previousDelayMs: optionalMs,
  })
  .map(({ pollAfterMs, retryAfterMs, ...rest }) => ctx({ ...rest, hints: { pollAfterMs, retryAfterMs } }));

const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('schedule invariants', () => {
  it('never goes below the minimum or above the maximum', () => {
    fc.assert(
      fc.property(arbitraryContext, arbitraryPolling, draw, (c, p, u) => {
        const delay = nextPollDelay(c, p, () => u);
        const { min, max } = delayBounds(p);
        expect(delay).toBeGreaterThanOrEqual(min);
        expect(delay).toBeLessThanOrEqual(max);
        expect(Number.isFinite(delay)).toBe(true);
      }),
    );
  });

  it('never plans a sleep that reaches the deadline', () => {
    fc.assert(
      fc.property(arbitraryContext, arbitraryPolling, draw, (c, p, u) => {
        const plan = planNextPoll(c, p, () => u);
        if (plan.kind === 'sleep') {
          expect(plan.delayMs).toBeGreaterThanOrEqual(0);
          expect(plan.delayMs).toBeLessThan(c.remainingMs);
        } else {
          expect(c.remainingMs).toBeLessThan(Infinity);
        }
      }),
    );
  });

  it('keeps blind delays within [base × (1 − jitter), base], the cap included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), arbitraryPolling, draw, (attempt, p, u) => {
        const base = Math.min(p.maxDelayMs, p.initialDelayMs * p.multiplier ** (attempt - 1));
        const delay = nextPollDelay(ctx({ attempt }), p, () => u);
        expect(delay).toBeLessThanOrEqual(base + 1e-6);
        expect(delay).toBeGreaterThanOrEqual(Math.max(p.minDelayMs, base * (1 - p.jitter)) - 1e-6);
      }),
    );
  });

  it('spreads delays at the cap: different draws give different delays', () => {
    const atCap = ctx({ attempt: 100 });
    const delays = new Set([0, 0.25, 0.5, 0.75, 0.99].map((u) => nextPollDelay(atCap, polling, () => u)));
    expect(delays.size).toBe(5);
  });
});
