import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('starts full with 500 tokens by default', () => {
    expect(new RetryBudget().available).toBe(500);
  });

  it('charges 5 tokens per retry and 10 after a timeout', () => {
    const budget = new RetryBudget();
    expect(budget.tryAcquire({ kind: 'network' })).toBe(true);
    expect(budget.available).toBe(495);
    expect(budget.tryAcquire({ kind: 'timeout' })).toBe(true);
    expect(budget.available).toBe(485);
  });

  it('refuses a retry it cannot pay for, spending nothing', () => {
    const budget = new RetryBudget({ capacity: 7 });
    expect(budget.tryAcquire({ kind: 'timeout' })).toBe(false);
    expect(budget.available).toBe(7);
  });

  it('allows capacity / cost retries in a row, then refuses', () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5 });
    const granted = Array.from({ length: 6 }, () => budget.tryAcquire({ kind: 'http' }));
    expect(granted).toEqual([true, true, true, true, false, false]);
  });

  it('refills one token per success, up to capacity', () => {
    const budget = new RetryBudget({ capacity: 10 });
    budget.tryAcquire({ kind: 'network' });
    for (let i = 0; i < 3; i++) budget.recordSuccess();
    expect(budget.available).toBe(8);
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });
});
