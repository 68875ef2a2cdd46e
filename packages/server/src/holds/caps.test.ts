import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors.js';
import { HoldCounter } from './caps.js';

describe('HoldCounter', () => {
  it('counts slots in all and per client, and release gives back one slot of that client', () => {
    const holds = new HoldCounter({ total: 3, perClient: 2 });
    holds.acquire('a', 'held requests');
    holds.acquire('a', 'held requests');
    holds.acquire('b', 'held requests');
    expect([holds.total, holds.heldBy('a'), holds.heldBy('b')]).toEqual([3, 2, 1]);
    holds.release('a');
    expect([holds.total, holds.heldBy('a'), holds.heldBy('b')]).toEqual([2, 1, 1]);
    holds.release('b');
    holds.release('a');
    expect([holds.total, holds.heldBy('a'), holds.heldBy('b')]).toEqual([0, 0, 0]);
  });

  it('ignores a release for a client that holds nothing', () => {
    const holds = new HoldCounter({ total: 3, perClient: 2 });
    holds.acquire('a', 'held requests');
    holds.release('b');
    expect([holds.total, holds.heldBy('a')]).toEqual([1, 1]);
  });

  it('refuses with 429 past the per-client share and 503 when full, Retry-After 1 either way', () => {
    const holds = new HoldCounter({ total: 2, perClient: 1 });
    holds.acquire('a', 'held requests');
    const refusal = (client: string): ApiError => {
      try {
        holds.acquire(client, 'held requests');
      } catch (error) {
        if (error instanceof ApiError) return error;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal('a')).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    holds.acquire('b', 'held requests');
    expect(refusal('c')).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(holds.total).toBe(2);
  });
});
