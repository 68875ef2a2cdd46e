import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../common/clock.js';
import { Deadlines, type Deadline } from './deadlines.js';

function deadline(at: number, fired: number[]): Deadline {
  return { at, index: -1, fire: () => fired.push(at) };
}

describe('Deadlines', () => {
  it('fires each deadline once, in order, with one timer at a time, and none once empty', async () => {
    const clock = createManualClock();
    const deadlines = new Deadlines(clock);
    const fired: number[] = [];
    for (const at of [300, 100, 200, 100]) deadlines.add(deadline(at, fired));
    expect(clock.pendingSleeps).toBe(1);
    await clock.advance(150);
    expect(fired).toEqual([100, 100]);
    await clock.advance(1_000);
    expect(fired).toEqual([100, 100, 200, 300]);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('a removed deadline never fires; removing the earliest re-arms for the next', async () => {
    const clock = createManualClock();
    const deadlines = new Deadlines(clock);
    const fired: number[] = [];
    const early = deadline(100, fired);
    deadlines.add(early);
    deadlines.add(deadline(500, fired));
    deadlines.remove(early);
    deadlines.remove(early); // twice is harmless
    await clock.advance(400);
    expect(fired).toEqual([]);
    await clock.advance(100);
    expect(fired).toEqual([500]);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('fires whatever was added and not removed, sorted by time (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1_000 }), fc.boolean()), { maxLength: 40 }),
        async (plan) => {
          const clock = createManualClock();
          const deadlines = new Deadlines(clock);
          const fired: number[] = [];
          const entries = plan.map(([at]) => deadline(at, fired));
          for (const entry of entries) deadlines.add(entry);
          entries.forEach((entry, i) => {
            if (plan[i]?.[1] === true) deadlines.remove(entry);
          });
          await clock.advance(1_000);
          const kept = plan.filter(([, removed]) => !removed).map(([at]) => at);
          expect(fired).toEqual(kept.sort((a, b) => a - b));
          expect(clock.pendingSleeps).toBe(0);
        },
      ),
    );
  });
});
