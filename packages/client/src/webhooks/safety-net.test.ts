import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ETA_SAFETY_FACTOR, safetyNetDelayMs } from './safety-net.js';

const base = { now: 10_000, reads: 0, knownAt: 10_000, etaMs: 8_000, safetyNetMs: 60_000 };

describe('safetyNetDelayMs', () => {
  it.each([
    ['first read at 1.25 × the ETA', base, 10_000],
    ['counted from when the ETA was read', { ...base, now: 14_000 }, 6_000],
    ['at once when that moment has passed', { ...base, now: 30_000 }, 0],
    ['then every safetyNetMs', { ...base, reads: 1 }, 60_000],
    ['every safetyNetMs without an ETA', { ...base, etaMs: undefined }, 60_000],
    ['every safetyNetMs without a known status', { ...base, knownAt: undefined }, 60_000],
  ])('%s', (_name, input, expected) => {
    expect(safetyNetDelayMs(input)).toBe(expected);
  });

  it('never waits less than 0 nor, after the first read, anything but safetyNetMs (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1e9 }),
        fc.nat({ max: 5 }),
        fc.option(fc.nat({ max: 1e9 })),
        fc.option(fc.nat({ max: 1e8 })),
        fc.integer({ min: 1, max: 1e7 }),
        (now, reads, knownAt, etaMs, safetyNetMs) => {
          const delay = safetyNetDelayMs({
            now,
            reads,
            knownAt: knownAt ?? undefined,
            etaMs: etaMs ?? undefined,
            safetyNetMs,
          });
          expect(delay).toBeGreaterThanOrEqual(0);
          if (reads > 0 || knownAt === null || etaMs === null) expect(delay).toBe(safetyNetMs);
          else expect(delay).toBeLessThanOrEqual(Math.max(0, knownAt + ETA_SAFETY_FACTOR * etaMs - now));
        },
      ),
    );
  });
});
