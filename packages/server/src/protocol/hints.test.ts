import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pollHints } from './hints.js';

const bounds = { minMs: 100, maxMs: 30_000 };

describe('pollHints', () => {
  it.each([
    [undefined, 100, 1],
    [0, 100, 1],
    [50, 100, 1],
    [1000, 800, 1],
    [1300, 1040, 2],
    [10_000, 8000, 8],
    [41_000, 30_000, 30],
    [10_000_000, 30_000, 30],
  ])('eta %s ms -> Poll-After-Ms %i, Retry-After %i', (eta, pollAfterMs, retryAfterSeconds) => {
    expect(pollHints(eta, bounds)).toEqual({ pollAfterMs, retryAfterSeconds });
  });

  it('always stays within the bounds and agrees with itself', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: 10_000_000 }), { nil: undefined }),
        fc.nat({ max: 5000 }),
        fc.nat({ max: 100_000 }),
        (eta, min, extra) => {
          const max = min + extra;
          const hints = pollHints(eta, { minMs: min, maxMs: max });
          expect(hints.pollAfterMs).toBeGreaterThanOrEqual(min);
          expect(hints.pollAfterMs).toBeLessThanOrEqual(max);
          expect(Number.isInteger(hints.retryAfterSeconds)).toBe(true);
          expect(hints.retryAfterSeconds * 1000).toBeGreaterThanOrEqual(hints.pollAfterMs);
        },
      ),
    );
  });
});
