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
    expect(h.requests[0]?.headers.get('prefer')).toBe('wait=30');
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
    expect(state.unavailable.has('long-poll')).toBe(true);
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
});
