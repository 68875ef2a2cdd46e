import { describe, expect, it } from 'vitest';
import { answerJob, drive, harness, type JobScript } from '../test-support/scenario.js';
import { runLoop, stepContext } from '../test-support/watch-context.js';

describe('WatchLoop', () => {
  it('a server not met yet: a plain first read, then the transport it offers', async () => {
    const script: JobScript = { doneAt: 10_000, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    const status = await drive(h.clock, runLoop(ctx, state));
    expect(status.result).toBe('completed');
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual([null, 'wait=30']);
    expect(state.transport).toBe('long-poll');
    expect(ctx.deps.server.capabilities?.longPoll).toBe(true);
  });

  it('a server known to hold: the first request is already held', async () => {
    const script: JobScript = { doneAt: 10_000, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    ctx.deps.server.capabilities = {
      longPoll: true,
      maxWaitS: 30,
      maxResultWaitS: undefined,
      events: false,
      heartbeatMs: undefined,
      batch: false,
      multiEvents: false,
      maxIds: undefined,
    };
    await drive(h.clock, runLoop(ctx, state));
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual(['wait=30']);
  });

  it('a plain server is polled until the job ends', async () => {
    const script: JobScript = { doneAt: 4_000 };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, runLoop(ctx, state));
    expect(h.times()).toEqual([0, 1_000, 3_000, 7_000]);
    expect(state.transport).toBe('poll');
  });

  it('waits that start together on a server not met yet let one of them ask first', async () => {
    const script: JobScript = { doneAt: 0, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const a = stepContext(h);
    const b = stepContext(h);
    const shared = a.ctx.deps.server;
    const both = Promise.all([
      runLoop(a.ctx, a.state),
      runLoop({ ...b.ctx, deps: { ...b.ctx.deps, server: shared } }, b.state),
    ]);
    await drive(h.clock, both);
    // The second waited for the first's answer, then held at once as the server allows.
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual([null, 'wait=30']);
  });

  it('a lost first answer holds the other waits back for one request timeout only', async () => {
    const script: JobScript = { doneAt: 0 };
    let first = true;
    const h = harness((request, clock) => {
      if (!first) return answerJob(clock, script, request);
      first = false;
      return new Promise<Response>(() => undefined); // swallowed: only its timeout ends it
    });
    const settings = { requestTimeoutMs: 1_000 };
    const a = stepContext(h, { settings });
    const b = stepContext(h, { settings });
    const waits = Promise.all([
      runLoop(a.ctx, a.state),
      runLoop({ ...b.ctx, deps: { ...b.ctx.deps, server: a.ctx.deps.server } }, b.state),
    ]);
    await drive(h.clock, waits);
    // b asked on its own once a's answer was a request timeout late; a retried after its timeout.
    expect(h.times()[1]).toBe(1_000);
    expect(b.state.counters.requests).toBe(1);
  });
});
