import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoTimes, jobDurationMs, naivePollerRequests } from './demo-summary.js';

describe('naivePollerRequests', () => {
  it.each([
    [0, 1],
    [1, 2],
    [999, 2],
    [1000, 2],
    [1001, 3],
    [12_300, 14],
  ])('a %i ms job costs %i requests at one per second', (ms, requests) => {
    expect(naivePollerRequests(ms)).toBe(requests);
  });
});

describe('jobDurationMs', () => {
  it('is completed_at minus created_at', () => {
    expect(
      jobDurationMs({ created_at: '2026-11-23T10:00:00.000Z', completed_at: '2026-11-23T10:00:12.500Z' }),
    ).toBe(12_500);
  });

  it.each([{}, { created_at: '2026-11-23T10:00:00.000Z', completed_at: null }, { created_at: 5 }])(
    'is undefined without both times: %j',
    (body) => {
      expect(jobDurationMs(body)).toBeUndefined();
    },
  );
});

describe('demoTimes', () => {
  it('measures every job and the total from the same start', () => {
    expect(demoTimes(1000, [6000, 13_000, undefined], 13_500)).toEqual({
      tookMs: [5000, 12_000, 12_500],
      elapsedMs: 12_500,
    });
  });

  it('never shows a job that took longer than the whole demo', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: undefined }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 1e6 }),
        (start, ends, extra) => {
          const finished = Math.max(start, ...ends.map((end) => end ?? 0)) + extra;
          const { tookMs, elapsedMs } = demoTimes(start, ends, finished);
          return tookMs.every((took) => took <= elapsedMs);
        },
      ),
    );
  });
});
