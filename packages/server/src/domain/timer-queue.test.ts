import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { TimerQueue } from './timer-queue.js';

describe('TimerQueue', () => {
  it('fires callbacks in time order with a single clock timer', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { maxLength: 60 }), (delays) => {
        const clock = new FakeClock(0);
        const queue = new TimerQueue(clock);
        const fired: number[] = [];
        delays.forEach((d, i) => queue.after(d, () => fired.push(i)));
        expect(clock.pendingTimers).toBeLessThanOrEqual(1);
        clock.advance(10_001);
        const expected = delays.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(fired).toEqual(expected.map(([, i]) => i));
        expect(queue.size).toBe(0);
        expect(clock.pendingTimers).toBe(0);
      }),
    );
  });

  it('skips cancelled callbacks and disarms when nothing is left', () => {
    const clock = new FakeClock(0);
    const queue = new TimerQueue(clock);
    const fired: string[] = [];
    const cancelA = queue.after(100, () => fired.push('a'));
    queue.after(200, () => fired.push('b'));
    cancelA();
    cancelA();
    clock.advance(150);
    expect(fired).toEqual([]);
    clock.advance(100);
    expect(fired).toEqual(['b']);
    const cancelC = queue.after(100, () => fired.push('c'));
    cancelC();
    expect(clock.pendingTimers).toBe(0);
  });

  it('rearms for an earlier deadline and runs ones scheduled while firing', () => {
    const clock = new FakeClock(0);
    const queue = new TimerQueue(clock);
    const fired: string[] = [];
    queue.after(1000, () => fired.push('late'));
    queue.after(10, () => {
      fired.push('early');
      queue.after(5, () => fired.push('chained'));
    });
    clock.advance(20);
    expect(fired).toEqual(['early', 'chained']);
    clock.advance(1000);
    expect(fired).toEqual(['early', 'chained', 'late']);
  });
});
