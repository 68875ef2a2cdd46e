import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobVersion, WakeOn } from './wake.js';
import { movedPast } from './wake.js';

describe('movedPast', () => {
  it.each<[JobVersion, number, WakeOn, boolean]>([
    [{ result: 'pending', version: 2 }, 2, 'change', false],
    [{ result: 'pending', version: 3 }, 2, 'change', true],
    [{ result: 'completed', version: 7 }, 6, 'change', true],
    [{ result: 'completed', version: 7 }, 7, 'change', false],
    // A version the client cannot have seen: its view is not ours, so it hears at once.
    [{ result: 'pending', version: 2 }, 9, 'change', true],
    [{ result: 'pending', version: 5 }, 2, 'result', false],
    [{ result: 'error', version: 4 }, 4, 'result', true],
    [{ result: 'completed', version: 7 }, 7, 'result', true],
  ])('%j seen at v%i, wake=%s -> %s', (job, seen, wakeOn, expected) => {
    expect(movedPast(job, seen, wakeOn)).toBe(expected);
  });

  it('never wakes a wake=result hold for a pending job, whatever its version', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (version, seen) => {
        expect(movedPast({ result: 'pending', version }, seen, 'result')).toBe(false);
      }),
    );
  });

  it('always has news for a client that has seen another version', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (version, seen) => {
        expect(movedPast({ result: 'pending', version }, seen, 'change')).toBe(version !== seen);
      }),
    );
  });
});
