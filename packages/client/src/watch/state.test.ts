import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../protocol/status.js';
import { createWatchState, jobIdOf, recordStatus, unavailableAt } from './state.js';

function status(
  version: number | undefined,
  stage: string,
  result: JobStatus['result'] = 'pending',
): JobStatus {
  return {
    jobId: 'job_9',
    result,
    stage,
    progress: undefined,
    etaMs: undefined,
    version,
    error: undefined,
    body: {},
  };
}

describe('recordStatus', () => {
  it('records a status, when it was read, and its version as the last event id', () => {
    const state = createWatchState(undefined, 'http://x/status', 0);
    expect(recordStatus(state, status(3, 'queued'), 50)).toEqual({
      status: status(3, 'queued'),
      changed: true,
    });
    expect(state.statusAt).toBe(50);
    expect(state.lastEventId).toBe('3');
    expect(jobIdOf(state)).toBe('job_9');
  });

  it('an unchanged answer is not a visible change', () => {
    const state = createWatchState('j', 'u', 0);
    recordStatus(state, status(3, 'queued'), 0);
    expect(recordStatus(state, status(3, 'queued'), 10).changed).toBe(false);
  });

  it('an answer older than what is known does not move the job backwards', () => {
    const state = createWatchState('j', 'u', 0);
    recordStatus(state, status(4, 'translating'), 0);
    expect(recordStatus(state, status(3, 'queued'), 10)).toEqual({
      status: status(4, 'translating'),
      changed: false,
    });
    expect(state.statusAt).toBe(0);
  });
});

describe('unavailableAt', () => {
  it('a transport given up for a while is tried again once it is over, a stream with a fresh count', () => {
    const state = createWatchState('job_9', 'http://jobs.test/jobs/job_9', 0);
    state.unavailable = new Map([
      ['sse', 30_000],
      ['long-poll', Infinity],
    ]);
    state.streamFailures = 2;
    expect([...unavailableAt(state, 29_999).keys()]).toEqual(['sse', 'long-poll']);
    expect(state.streamFailures).toBe(2);
    expect([...unavailableAt(state, 30_000).keys()]).toEqual(['long-poll']);
    expect(state.streamFailures).toBe(0);
    expect([...unavailableAt(state, 1e12).keys()]).toEqual(['long-poll']);
  });
});
