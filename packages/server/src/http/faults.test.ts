import { describe, expect, it } from 'vitest';
import type { Fault } from './faults.js';
import { decideFault } from './faults.js';
import { createRandom } from '../domain/prng.js';

const ALL = new Set<Fault>(['drop', 'hang', 'throttle', 'error500', 'error503']);
const none = { errorRate: 0, throttleRate: 0, dropRate: 0, hangRate: 0 };

function tally(rates: typeof none, allowed = ALL, n = 4000): Record<Fault, number> {
  const random = createRandom(11);
  const counts: Record<Fault, number> = { none: 0, drop: 0, hang: 0, throttle: 0, error500: 0, error503: 0 };
  for (let i = 0; i < n; i++) counts[decideFault(random, rates, allowed)]++;
  return counts;
}

describe('decideFault', () => {
  it('never injects anything when every rate is 0', () => {
    expect(tally(none).none).toBe(4000);
  });

  it.each([
    ['dropRate', 'drop'],
    ['hangRate', 'hang'],
    ['throttleRate', 'throttle'],
  ] as const)('%s = 1 always gives %s', (rate, fault) => {
    expect(tally({ ...none, [rate]: 1 })[fault]).toBe(4000);
  });

  it('splits errors between 500 and 503', () => {
    const counts = tally({ ...none, errorRate: 1 });
    expect(counts.error500 + counts.error503).toBe(4000);
    expect(counts.error500).toBeGreaterThan(1600);
    expect(counts.error503).toBeGreaterThan(1600);
  });

  it('honours the rates when mixed', () => {
    const counts = tally({ errorRate: 0.1, throttleRate: 0.2, dropRate: 0.05, hangRate: 0.05 });
    expect(counts.throttle / 4000).toBeCloseTo(0.2, 1);
    expect((counts.error500 + counts.error503) / 4000).toBeCloseTo(0.1, 1);
    expect(counts.none / 4000).toBeCloseTo(0.6, 1);
  });

  it('applies only the allowed faults', () => {
    const counts = tally({ ...none, dropRate: 0.5, throttleRate: 0.5 }, new Set<Fault>(['drop']));
    expect(counts.throttle).toBe(0);
    expect(counts.drop).toBeGreaterThan(1700);
  });
});
