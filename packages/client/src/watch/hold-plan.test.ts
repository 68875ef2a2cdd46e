import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../options/defaults.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import fc from 'fast-check';
import { NO_CAPABILITIES, type Capabilities } from '../protocol/capabilities.js';
import { busyLoopPauseMs, cutHoldS, holdCapS, holdSeconds, type HoldInput } from './hold-plan.js';

const polling: ResolvedPollingOptions = { ...DEFAULTS.polling, schedule: undefined };

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
    ['the deadline, less the hold timeout and a last read', { remainingMs: 50_000 }, 19],
    ['whole seconds, rounded down', { remainingMs: 43_900 }, 12],
    ['nothing left', { remainingMs: 21_000 }, -10],
    ['a 60 s wait at the default request timeout still holds', { remainingMs: 60_000 }, 29],
    ['the last read gets at most the request timeout', { remainingMs: 2_500, requestTimeoutMs: 500 }, 1],
    ['no ETA: at most three request timeouts', { requestTimeoutMs: 1_000 }, 3],
    ['no ETA: whole seconds, rounded down', { requestTimeoutMs: 2_500 }, 7],
    ['no ETA and a tiny request timeout: the shortest hold', { requestTimeoutMs: 100 }, 1],
    ['an ETA known: not bound by the request timeout', { requestTimeoutMs: 1_000, untilSuspectMs: 8_000 }, 8],
    ['the job due soon: its ETA plus grace, rounded up', { untilSuspectMs: 4_200 }, 5],
    ['the job due later than the cap', { untilSuspectMs: 100_000 }, 30],
    ['the job should have ended: nothing to hold (a plain read)', { untilSuspectMs: -1 }, -0],
  ])('%s', (_name, input, expected) => {
    expect(holdSeconds({ ...base, ...input })).toBe(expected);
  });
});

describe('holdCapS', () => {
  const caps: Capabilities = { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30, maxResultWaitS: 300 };
  it.each<[string, Capabilities | undefined, boolean, number | undefined, number | undefined]>([
    ['a hold that wakes at every change: max-wait', caps, false, undefined, 30],
    ['one that wakes only on the ending: max-result-wait', caps, true, undefined, 300],
    ['... kept under a cut learnt on the way', caps, true, 54, 54],
    ['a cut does not touch holds within max-wait', caps, false, 54, 30],
    [
      'a server without max-result-wait: max-wait for both',
      { ...caps, maxResultWaitS: undefined },
      true,
      54,
      30,
    ],
    ['nothing announced: no cap', undefined, true, undefined, undefined],
  ])('%s', (_name, announced, wakeOnResult, cutS, expected) => {
    expect(holdCapS(announced, wakeOnResult, cutS)).toBe(expected);
  });
});

describe('cutHoldS', () => {
  it.each<[string, number, number, number | undefined, number]>([
    ['a 300 s hold cut at 60 s (nginx): a tenth under the cut', 300, 60_050, 30, 54],
    ['cut just past max-wait: never under max-wait', 300, 31_000, 30, 30],
    ['failed within max-wait: says nothing about length', 300, 20_000, 30, Infinity],
    ['outlived its time (swallowed, timed out): nothing', 300, 330_000, 30, Infinity],
    ['a hold within max-wait that failed: nothing', 30, 29_000, 30, Infinity],
    ['no max-wait announced: nothing learnt', 300, 60_000, undefined, Infinity],
  ])('%s', (_name, heldS, afterMs, maxWaitS, expected) => {
    expect(cutHoldS(heldS, afterMs, maxWaitS)).toBe(expected);
  });

  it('never lowers holds below max-wait, and always under the cut', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.nat(4_000_000),
        (maxWaitS, heldS, afterMs) => {
          const cutS = cutHoldS(heldS, afterMs, maxWaitS);
          expect(cutS).toBeGreaterThanOrEqual(maxWaitS);
          if (cutS !== Infinity) expect(cutS).toBeLessThan(heldS);
        },
      ),
    );
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
