import { describe, expect, it } from 'vitest';
import { WaitTimeoutError } from '../errors/index.js';
import { answerJob, drive, harness, runUntil, type JobScript } from '../test-support/scenario.js';
import { stepContext } from '../test-support/watch-context.js';
import { SharedWatch } from './shared-watch.js';

describe('SharedWatch', () => {
  it('serves two waits with one set of requests, each with its own statistics', async () => {
    const script: JobScript = { doneAt: 3_000 };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx } = stepContext(h);
    const watches = new Map<string, SharedWatch>();
    const shared = new SharedWatch(ctx.deps, 'job_1', ctx.settings, watches);
    watches.set('job_1', shared);
    const first = shared.wait(60_000, undefined, {});
    await runUntil(h.clock, 1_500); // joins after the second request
    const second = shared.wait(60_000, undefined, {});
    const [a, b] = await drive(h.clock, Promise.all([first, second]));
    expect(h.times()).toEqual([0, 1_000, 3_000]);
    expect(a.stats).toMatchObject({ elapsedMs: 3_000, requests: 3 });
    expect(b.stats).toMatchObject({ elapsedMs: 1_500, requests: 1 });
    expect(watches.size).toBe(0); // it left the client's watches once idle
    expect(shared.active).toBe(false);
  });

  it('a wait whose deadline passes leaves; the watch runs on for the other', async () => {
    const script: JobScript = { doneAt: 5_000 };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx } = stepContext(h);
    const shared = new SharedWatch(ctx.deps, 'job_1', ctx.settings);
    const short = shared.wait(2_000, undefined, {}).catch((e: unknown) => e);
    const long = shared.wait(60_000, undefined, {});
    const [timedOut, done] = await drive(h.clock, Promise.all([short, long]));
    expect(timedOut).toBeInstanceOf(WaitTimeoutError);
    expect(done.status.result).toBe('completed');
  });
});
