import { describe, expect, it } from 'vitest';
import { jobDurationMs, naivePollerRequests } from './demo-summary.js';

describe('naivePollerRequests', () => {
  it.each([
    [0, 1],
    [1, 2],
    [999, 2],
    [1000, 2],
    [1001, 3],
    [12_300, 14],
  ])('a %i ms job costs %i requests at one per second', (ms, requests) => {
    expect(naivePollerRequests(ms)).toBe(requests);
  });
});

describe('jobDurationMs', () => {
  it('is completed_at minus created_at', () => {
    expect(
      jobDurationMs({ created_at: '2026-11-23T10:00:00.000Z', completed_at: '2026-11-23T10:00:12.500Z' }),
    ).toBe(12_500);
  });

  it.each([{}, { created_at: '2026-11-23T10:00:00.000Z', completed_at: null }, { created_at: 5 }])(
    'is undefined without both times: %j',
    (body) => {
      expect(jobDurationMs(body)).toBeUndefined();
    },
  );
});
