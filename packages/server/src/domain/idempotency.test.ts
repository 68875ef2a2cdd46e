import { describe, expect, it } from 'vitest';
import { CLAIM_TTL_MS, IDEMPOTENCY_TTL_MS, KeyTable } from './idempotency.js';

describe('KeyTable', () => {
  it('claims a free key, then answers in_progress, conflict, or the job once created', () => {
    const keys = new KeyTable();
    expect(keys.claim('k', 'fp', 0)).toEqual({ status: 'claimed' });
    expect(keys.claim('k', 'fp', 1)).toEqual({ status: 'in_progress' });
    expect(keys.claim('k', 'other', 1)).toEqual({ status: 'conflict' });
    keys.complete('k', 'job_1', 2);
    expect(keys.claim('k', 'fp', 3)).toEqual({ status: 'done', jobId: 'job_1' });
    expect(keys.claim('k', 'other', 3)).toEqual({ status: 'conflict' });
  });

  it('frees a released claim at once, but keeps a key that made a job', () => {
    const keys = new KeyTable();
    keys.claim('a', 'fp', 0);
    keys.release('a');
    expect(keys.claim('a', 'other', 1)).toEqual({ status: 'claimed' });
    keys.complete('a', 'job_1', 1);
    keys.release('a');
    expect(keys.claim('a', 'fp', 2)).toEqual({ status: 'conflict' });
    expect(keys.claim('a', 'other', 2)).toEqual({ status: 'done', jobId: 'job_1' });
  });

  it('lets a claim lapse after CLAIM_TTL_MS and a used key after IDEMPOTENCY_TTL_MS', () => {
    const keys = new KeyTable();
    keys.claim('stuck', 'fp', 0);
    expect(keys.claim('stuck', 'fp', CLAIM_TTL_MS - 1)).toEqual({ status: 'in_progress' });
    expect(keys.claim('stuck', 'fp', CLAIM_TTL_MS)).toEqual({ status: 'claimed' });
    keys.claim('used', 'fp', 0);
    keys.complete('used', 'job_1', 10);
    expect(keys.claim('used', 'fp', 10 + IDEMPOTENCY_TTL_MS - 1)).toEqual({ status: 'done', jobId: 'job_1' });
    expect(keys.claim('used', 'other', 10 + IDEMPOTENCY_TTL_MS)).toEqual({ status: 'claimed' });
  });

  it('forgets expired keys as new claims arrive, so it holds about a day of keys', () => {
    const keys = new KeyTable();
    for (let i = 0; i < 100; i++) {
      keys.claim(`k${i}`, 'fp', i);
      keys.complete(`k${i}`, `job_${i}`, i);
    }
    keys.claim('late', 'fp', 2 * IDEMPOTENCY_TTL_MS);
    expect(keys.size).toBe(1);
  });
});
