import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../options/defaults.js';
import { bodyHints } from '../protocol/hints.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import type { JobStatus } from '../protocol/status.js';
import { busyLoopPauseMs, etaApproachMs, holdSeconds, type HoldInput } from './hold-plan.js';

const polling: ResolvedPollingOptions = { ...DEFAULTS.polling, schedule: undefined };

function pending(etaMs: number | undefined): JobStatus {
  return {
    jobId: 'j',
    result: 'pending',
    stage: 'translating',
    progress: 0.5,
    etaMs,
    version: 3,
    error: undefined,
    body: {},
  };
}

describe('holdSeconds', () => {
  const base: HoldInput = {
    longPollWaitS: 30,
    maxWaitS: 30,
    remainingMs: 600_000,
    requestTimeoutMs: 30_000,
    untilSuspectMs: undefined,
  };
  it.each<[string, Partial<HoldInput>, number]>([
    ['the option when nothing is tighter', {}, 30],
    ['the server cap', { maxWaitS: 10 }, 10],
    ['no cap announced', { maxWaitS: undefined, longPollWaitS: 45 }, 45],
    ['the deadline, less the hold timeout and one re-ask', { remainingMs: 80_000 }, 20],
    ['whole seconds, rounded down', { remainingMs: 72_900 }, 12],
    ['nothing left', { remainingMs: 40_000 }, -20],
    ['the job due soon: its ETA plus grace, rounded up', { untilSuspectMs: 4_200 }, 5],
    ['the job due later than the cap', { untilSuspectMs: 100_000 }, 30],
    ['the job should have ended: nothing to hold (a plain read)', { untilSuspectMs: -1 }, -0],
  ])('%s', (_name, input, expected) => {
    expect(holdSeconds({ ...base, ...input })).toBe(expected);
  });
});

describe('busyLoopPauseMs', () => {
  it.each<[string, boolean, number, number]>([
    ['news is never paused after', true, 0, 0],
    ['an unchanged answer that took its time', false, 100, 0],
    ['an unchanged answer at once: at least the minimum delay', false, 5, polling.minDelayMs],
  ])('%s', (_name, changed, heldMs, expected) => {
    expect(busyLoopPauseMs(changed, heldMs, polling)).toBe(expected);
  });

  it('never pauses less than the guard itself', () => {
    expect(busyLoopPauseMs(false, 0, { ...polling, minDelayMs: 0 })).toBe(100);
  });
});

describe('etaApproachMs', () => {
  const ctx = {
    attempt: 1,
    elapsedMs: 0,
    remainingMs: 600_000,
    hints: bodyHints(pending(undefined)),
    requestTimeoutMs: 30_000,
  };
  const noJitter = (): number => 0;

  it('sleeps until shortly before the estimate (80% of it)', () => {
    expect(etaApproachMs({ ...ctx, status: pending(100_000) }, pending(100_000), polling, noJitter)).toBe(
      80_000,
    );
  });

  it.each<[string, number | undefined, Partial<ResolvedPollingOptions>]>([
    ['no estimate', undefined, {}],
    ['past the estimate', 200, {}],
    ['the ETA not followed', 100_000, { followEta: false }],
  ])('does not sleep with %s', (_name, etaMs, options) => {
    expect(
      etaApproachMs({ ...ctx, status: pending(etaMs) }, pending(etaMs), { ...polling, ...options }, noJitter),
    ).toBe(0);
  });

  it('leaves room for one held request before the deadline', () => {
    const status = pending(100_000);
    // 90 s left: 90 − 2 × 30 (the hold's timeout, one re-ask) − 1 (shortest hold) = 29 s.
    expect(etaApproachMs({ ...ctx, status, remainingMs: 90_000 }, status, polling, noJitter)).toBe(29_000);
  });
});
