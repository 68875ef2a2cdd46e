import { describe, expect, it } from 'vitest';
import { createManualClock } from '../common/clock.js';
import { NetworkError, RequestTimeoutError } from '../errors/index.js';
import { openConnection } from './connection.js';

const facts = () => ({ jobId: 'job_1', url: 'http://jobs.test/jobs/job_1' });

describe('openConnection', () => {
  it('a failure before the timer runs out is a network error', () => {
    const connection = openConnection(createManualClock(), new AbortController().signal, facts);
    connection.arm(1_000);
    const { failure, error } = connection.fail(new TypeError('fetch failed'));
    expect(failure).toEqual({ kind: 'network' });
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('fetch failed');
    connection.dispose();
  });

  it('silence past the armed time aborts the request, and its failure is a timeout of that time', async () => {
    const clock = createManualClock();
    const connection = openConnection(clock, new AbortController().signal, facts);
    connection.arm(1_000);
    await clock.advance(900);
    connection.arm(2_000); // data came: the silence counts from now
    await clock.advance(1_900);
    expect(connection.signal.aborted).toBe(false);
    await clock.advance(100);
    expect(connection.signal.aborted).toBe(true);
    const { failure, error } = connection.fail(connection.signal.reason);
    expect(failure).toEqual({ kind: 'timeout' });
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ jobId: 'job_1', timeoutMs: 2_000 });
    connection.dispose();
  });

  it("throws the caller's reason when the caller aborted, and leaves no timer behind", () => {
    const clock = createManualClock();
    const caller = new AbortController();
    const connection = openConnection(clock, caller.signal, facts);
    connection.arm(1_000);
    caller.abort(new Error('stop'));
    expect(connection.signal.aborted).toBe(true);
    expect(() => connection.fail(new Error('aborted'))).toThrow('stop');
    connection.dispose();
    expect(clock.pendingSleeps).toBe(0);
  });
});
