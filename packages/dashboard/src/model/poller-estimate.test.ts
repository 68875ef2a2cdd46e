import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naivePollerRequests, type Follow } from './poller-estimate.js';

describe('naivePollerRequests', () => {
  it.each([
    ['nothing followed', [], 0],
    ['a job found pending and seen ending 4.5 s later', [{ fromMs: 0, untilMs: 4500, created: false }], 5],
    ['the same job created by the page (the POST too)', [{ fromMs: 0, untilMs: 4500, created: true }], 6],
    ['a job still pending at 10 s', [{ fromMs: 0, untilMs: undefined, created: false }], 11],
    [
      'two jobs',
      [
        { fromMs: 0, untilMs: 999, created: true },
        { fromMs: 2000, untilMs: 5000, created: false },
      ],
      2 + 4,
    ],
  ] as const)('%s: %d requests', (_name, follows: readonly Follow[], expected) => {
    expect(naivePollerRequests(follows, 10_000)).toBe(expected);
  });

  const follow = fc.record({
    fromMs: fc.integer({ min: 0, max: 100_000 }),
    lengthMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    created: fc.boolean(),
  });

  it('is at least one request per job followed, and never shrinks as time goes on', () => {
    fc.assert(
      fc.property(fc.array(follow), fc.integer({ min: 0, max: 100_000 }), (raw, laterBy) => {
        const follows: Follow[] = raw.map((f) => ({
          fromMs: f.fromMs,
          untilMs: f.lengthMs === undefined ? undefined : f.fromMs + f.lengthMs,
          created: f.created,
        }));
        const now = 200_000;
        const count = naivePollerRequests(follows, now);
        expect(count).toBeGreaterThanOrEqual(follows.length);
        expect(naivePollerRequests(follows, now + laterBy)).toBeGreaterThanOrEqual(count);
      }),
    );
  });
});
