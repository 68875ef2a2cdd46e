import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('starts full with 100 tokens by default', () => {
    expect(new RetryBudget().available).toBe(100);
  });

  it('charges 1 token per retry and 2 after a timeout', () => {
    const budget = new RetryBudget();
    expect(budget.tryAcquire({ kind: 'network' })).toBe(true);
    expect(budget.available).toBe(99);
    expect(budget.tryAcquire({ kind: 'timeout' })).toBe(true);
    expect(budget.available).toBe(97);
  });

  it('holds steady at the defaults while 30% of requests fail, a third of them timeouts', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 10_000; i++) {
      const draw = i % 10;
      if (draw === 0) budget.tryAcquire({ kind: 'timeout' });
      else if (draw < 3) budget.tryAcquire({ kind: 'http' });
      else budget.recordSuccess();
    }
    expect(budget.available).toBeGreaterThan(90);
  });

  it('drains at the defaults against a dead server: 100 retries, then none', () => {
    const budget = new RetryBudget();
    const granted = Array.from({ length: 150 }, () => budget.tryAcquire({ kind: 'network' }));
    expect(granted.filter(Boolean)).toHaveLength(100);
  });

  it('refuses a retry it cannot pay for, spending nothing', () => {
    const budget = new RetryBudget({ capacity: 7, timeoutCost: 10 });
    expect(budget.tryAcquire({ kind: 'timeout' })).toBe(false);
    expect(budget.available).toBe(7);
  });

  it('allows capacity / cost retries in a row, then refuses', () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5 });
    const granted = Array.from({ length: 6 }, () => budget.tryAcquire({ kind: 'http' }));
    expect(granted).toEqual([true, true, true, true, false, false]);
  });

  it('refills one token per success, up to capacity', () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });
    budget.tryAcquire({ kind: 'network' });
    for (let i = 0; i < 3; i++) budget.recordSuccess();
    expect(budget.available).toBe(8);
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });

  it('a dry bucket still pays for its reserve: reservePerSecond retries a second', () => {
    const budget = new RetryBudget({ capacity: 0, reservePerSecond: 2 });
    expect([0, 0, 0].map((t) => budget.tryAcquire({ kind: 'network' }, t))).toEqual([true, true, false]);
    expect(budget.tryAcquire({ kind: 'network' }, 499)).toBe(false);
    expect(budget.tryAcquire({ kind: 'network' }, 500)).toBe(true);
    // Never more than one second's worth, however long it rested.
    expect([60_000, 60_000, 60_000].map((t) => budget.tryAcquire({ kind: 'timeout' }, t))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('has no reserve without the time, or when it is 0', () => {
    expect(new RetryBudget({ capacity: 0 }).tryAcquire({ kind: 'network' })).toBe(false);
    expect(new RetryBudget({ capacity: 0, reservePerSecond: 0 }).tryAcquire({ kind: 'network' }, 0)).toBe(
      false,
    );
  });
});
