import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STREAMS, planFollows, sameIds } from './follow-plan.js';

describe('planFollows', () => {
  it('streams the first jobs and batches the rest', () => {
    expect(planFollows(['a', 'b', 'c', 'd', 'e', 'f'], new Set(), 4)).toEqual({
      streams: ['a', 'b', 'c', 'd'],
      batch: ['e', 'f'],
    });
  });

  it('keeps the streams it has and gives a freed one to the next job', () => {
    expect(planFollows(['a', 'c', 'd', 'e', 'f'], new Set(['a', 'c', 'd']), 4)).toEqual({
      streams: ['a', 'c', 'd', 'e'],
      batch: ['f'],
    });
  });

  it('leaves room for the batch and one more connection within six', () => {
    expect(MAX_STREAMS).toBe(4);
  });

  it('splits the pending jobs into streams and batch, never over the cap, keeping the order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }).map(String), { maxLength: 20 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        fc.integer({ min: 0, max: 8 }),
        (pending, streamingFlags, max) => {
          const streaming = new Set(pending.filter((_, i) => streamingFlags[i] === true));
          const plan = planFollows(pending, streaming, max);
          expect(plan.streams.length).toBeLessThanOrEqual(max);
          expect([...plan.streams, ...plan.batch].sort()).toEqual([...pending].sort());
          expect(plan.streams).toEqual(pending.filter((id) => plan.streams.includes(id)));
          // A job that streams keeps its stream while there is room for it.
          const keptRoom = pending.filter((id) => streaming.has(id)).slice(0, max);
          for (const id of keptRoom) expect(plan.streams).toContain(id);
        },
      ),
    );
  });
});

describe('sameIds', () => {
  it.each([
    [[], [], true],
    [['a', 'b'], ['a', 'b'], true],
    [['a', 'b'], ['b', 'a'], false],
    [['a'], ['a', 'b'], false],
  ])('%o vs %o: %s', (a, b, same) => {
    expect(sameIds(a, b)).toBe(same);
  });
});
