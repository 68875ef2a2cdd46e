import { describe, expect, it } from 'vitest';
import { parseBatch } from './batch.js';

describe('parseBatch', () => {
  it('maps each id to its status or its error, in one pass', () => {
    const parsed = parseBatch({
      jobs: [
        { id: 'a', job: { id: 'a', result: 'pending' } },
        { id: 'x', error: { code: 'job_not_found', message: 'No job x' } },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.entries.get('a')).toMatchObject({ status: { jobId: 'a', result: 'pending' } });
    expect(parsed.entries.get('x')).toEqual({ error: { code: 'job_not_found', message: 'No job x' } });
  });

  it.each([
    [{}, "expected an object with a 'jobs' array"],
    [{ jobs: [{ job: { result: 'pending' } }] }, "jobs[0] has no string 'id'"],
    [{ jobs: [{ id: 'a' }] }, "jobs[0] (id 'a') has neither 'job' nor 'error'"],
    [
      { jobs: [{ id: 'a', job: { result: 'nope' } }] },
      "jobs[0] (id 'a'): unknown result 'nope'; expected pending, completed or error",
    ],
  ])('refuses %j', (body, problem) => {
    expect(parseBatch(body)).toEqual({ ok: false, problem });
  });
});
