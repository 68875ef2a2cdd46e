/** The watches of the Redis store, over a scripted `observe` and a manual clock. */
import { describe, expect, it } from 'vitest';
import type { JobResource } from '../../protocol/job-resource.js';
import { FakeClock } from '../clock.js';
import { TimerQueue } from '../timer-queue.js';
import type { Observation } from './watches.js';
import { JobWatches, REREAD_AFTER_FAILURE_MS } from './watches.js';

const job = (version: number): JobResource => ({ id: 'job_1', version }) as unknown as JobResource;

/** Lets the observe promises settle. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('JobWatches', () => {
  it('reads a job again after a failed read, though no reconnect follows', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const observe = (): Promise<Observation> => {
      reads++;
      if (reads === 1) return Promise.resolve({ job: job(1), nextChangeInMs: 500 });
      if (reads === 2) return Promise.reject(new Error('command past its deadline'));
      return Promise.resolve({ job: job(2), nextChangeInMs: undefined });
    };
    const watches = new JobWatches(observe, new TimerQueue(clock));
    const heard: number[] = [];
    watches.subscribe('job_1', (j) => heard.push(j.version));
    await settle();
    clock.advance(501); // the plan's change is due: this read fails
    await settle();
    expect(heard).toEqual([1]);
    clock.advance(REREAD_AFTER_FAILURE_MS);
    await settle();
    expect(heard).toEqual([1, 2]);
    expect(reads).toBe(3);
  });

  it('stops trying once nobody listens', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const watches = new JobWatches(() => {
      reads++;
      return Promise.reject(new Error('down'));
    }, new TimerQueue(clock));
    const stop = watches.subscribe('job_1', () => undefined);
    await settle();
    stop();
    clock.advance(10 * REREAD_AFTER_FAILURE_MS);
    await settle();
    expect(reads).toBe(1);
  });
});
