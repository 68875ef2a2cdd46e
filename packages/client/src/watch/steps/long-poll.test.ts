import { describe, expect, it } from 'vitest';
import { json } from '../../test-support/fake-fetch.js';
import { answerJob, drive, harness, jobBody, type JobScript } from '../../test-support/scenario.js';
import { stepContext } from '../../test-support/watch-context.js';
import { readStatus } from '../read-status.js';
import { longPollStep } from './long-poll.js';

const signal = new AbortController().signal;

describe('longPollStep', () => {
  it('a first hold, ending only: Prefer: wait with wake=result, one request for the whole job', async () => {
    const script: JobScript = { doneAt: 20_000, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.requests).toHaveLength(1);
    // No cap known yet and no ETA: three request timeouts (30 s each).
    expect(h.requests[0]?.headers.get('prefer')).toBe('wait=90');
    expect(h.requests[0]?.url.searchParams.get('wake')).toBe('result');
    expect(state.status?.result).toBe('completed');
  });

  it('once a version is known, asks to be answered as soon as the job moves past it', async () => {
    const script: JobScript = { doneAt: 20_000, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h, { followsStages: true });
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.requests[1]?.headers.get('if-none-match')).toBe('"v1"');
    expect(h.requests[1]?.url.searchParams.has('wake')).toBe(false);
  });

  it('a server that ignores Prefer: wait makes the watch give long-poll up', async () => {
    const h = harness((_request, clock) => json(jobBody({ doneAt: 20_000 }, clock.now())));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(state.unavailable?.has('long-poll')).toBe(true);
  });

  it('an unchanged answer at once from a server that claims to hold is paused after', async () => {
    const h = harness((_request, clock) =>
      json(jobBody({ doneAt: 20_000 }, clock.now()), 200, { 'preference-applied': 'wait=30' }),
    );
    const { ctx, state } = stepContext(h, { followsStages: true });
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.clock.now()).toBe(250); // polling.minDelayMs
  });

  it('a hold for the ending, cut by a wait that follows the stages, is replaced by a plain read', async () => {
    const script: JobScript = { doneAt: 20_000, longPoll: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    const step = longPollStep(ctx, state, signal);
    await h.clock.advance(1_000);
    ctx.pauses.replan(true);
    await drive(h.clock, step);
    expect(h.requests).toHaveLength(2);
    expect(h.requests[1]?.headers.has('prefer')).toBe(false);
    expect(state.status?.result).toBe('pending');
  });

  it('a hold is bounded by the ETA of the job plus grace, not the whole wait', async () => {
    const script: JobScript = { doneAt: 5_000, longPoll: true, eta: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h, { followsStages: true });
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=6'); // 5 s ETA + 1 s grace
  });

  it('a hold lost after the job should have ended is re-asked as a plain read, seconds after the end', async () => {
    const script: JobScript = { doneAt: 5_000, longPoll: true, eta: true };
    let held = 0;
    const h = harness((request, clock) => {
      if (request.headers.has('prefer') && held++ === 0) return new Promise<Response>(() => undefined);
      return answerJob(clock, script, request);
    });
    const { ctx, state } = stepContext(h, { followsStages: true, settings: { requestTimeoutMs: 1_000 } });
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    // The 6 s hold is swallowed: its timeout (7 s) is past the ETA + grace, so the re-ask is plain.
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual([null, 'wait=6', null]);
    expect(h.times()[2]).toBe(7_000);
    expect(state.status?.result).toBe('completed');
    expect(h.logs.some((l) => l.level === 'debug' && /gave up a hold of 6 s/.test(l.message ?? ''))).toBe(
      true,
    );
  });

  it('a first hold sent before any ETA is known is three request timeouts long, so losing it costs seconds', async () => {
    const script: JobScript = { doneAt: 2_000, longPoll: true, eta: true };
    let held = 0;
    const h = harness((request, clock) => {
      if (request.headers.has('prefer') && held++ === 0) return new Promise<Response>(() => undefined);
      return answerJob(clock, script, request);
    });
    const { ctx, state } = stepContext(h, { settings: { requestTimeoutMs: 1_000 } });
    await drive(h.clock, longPollStep(ctx, state, signal));
    // Swallowed: its timeout (3 s + 1 s) ends 2 s after the job; with no ETA the re-ask is plain.
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual(['wait=3', null]);
    expect(h.times()[1]).toBe(4_000);
    expect(state.status?.result).toBe('completed');
  });

  it('ending only, the rest of the job fits in one hold: one hold to the ETA plus grace', async () => {
    const script: JobScript = { doneAt: 20_000, longPoll: true, eta: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.times()).toEqual([0, 0]);
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=24'); // 20 s ETA + 4 s grace
  });

  it('ending only, a long job: no sleep towards the ETA, the hold (the server cap) goes out at once', async () => {
    const script: JobScript = { doneAt: 100_000, longPoll: true, eta: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.times()).toEqual([0, 0]);
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=30');
    expect(h.requests[1]?.url.searchParams.get('wake')).toBe('result');
  });

  it('ending only, a long job that fails early: the failure is heard as it happens, not at the ETA', async () => {
    // The estimate says 100 s; the job fails at 3 s, which no estimate foresees.
    const estimated: JobScript = { doneAt: 100_000, longPoll: true, eta: true };
    const failing: JobScript = { doneAt: 3_000, outcome: 'error', longPoll: true };
    const h = harness((request, clock) =>
      answerJob(clock, request.headers.has('prefer') ? failing : estimated, request),
    );
    const { ctx, state } = stepContext(h);
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(state.status?.result).toBe('error');
    expect(h.clock.now()).toBe(3_000);
  });

  it('stages followed: no sleep towards the ETA, the hold goes out at once', async () => {
    const script: JobScript = { doneAt: 100_000, longPoll: true, eta: true };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h, { followsStages: true });
    await drive(h.clock, readStatus(ctx, state, signal));
    const step = longPollStep(ctx, state, signal);
    await drive(h.clock, step);
    expect(h.times()).toEqual([0, 0]);
  });

  it('ending only, a server that allows longer holds for endings: one hold past max-wait, to the ETA plus grace', async () => {
    const script: JobScript = { doneAt: 100_000, longPoll: true, eta: true, maxResultWait: 300 };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h);
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=120'); // 100 s ETA + 20 s grace
    expect(state.status?.result).toBe('completed');
    expect(h.requests).toHaveLength(2);
  });

  it('stages followed: max-wait caps the hold, whatever the cap for endings', async () => {
    const script: JobScript = { doneAt: 100_000, longPoll: true, eta: true, maxResultWait: 300 };
    const h = harness((request, clock) => answerJob(clock, script, request));
    const { ctx, state } = stepContext(h, { followsStages: true });
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    expect(h.requests[1]?.headers.get('prefer')).toBe('wait=30');
  });

  it('a long hold cut on the way (a proxy gives up after 60 s) is re-asked under the cut, and so are later ones', async () => {
    const script: JobScript = { doneAt: 200_000, longPoll: true, eta: true, maxResultWait: 300 };
    const h = harness(async (request, clock) => {
      const asked = Number(/wait=(\d+)/.exec(request.headers.get('prefer') ?? '')?.[1] ?? 0);
      if (asked <= 60) return answerJob(clock, script, request);
      await clock.sleep(60_000, request.signal);
      return new Response('<html>504 Gateway Time-out</html>', { status: 504 });
    });
    const { ctx, state } = stepContext(h);
    await drive(h.clock, readStatus(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    await drive(h.clock, longPollStep(ctx, state, signal));
    // 200 s ETA + grace, capped at 300 s; cut at 60 s; then a tenth under the cut, for every hold.
    expect(h.requests.map((r) => r.headers.get('prefer'))).toEqual([null, 'wait=240', 'wait=54', 'wait=54']);
    expect(ctx.deps.server.cutS).toBe(54);
    expect(state.status?.result).toBe('pending');
  });
});
