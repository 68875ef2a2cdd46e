import { describe, expect, it } from 'vitest';
import { drive, harness, jobBody } from '../../test-support/scenario.js';
import { json } from '../../test-support/fake-fetch.js';
import { stepContext } from '../../test-support/watch-context.js';
import { readStatus } from '../read-status.js';
import { pollStep } from './poll.js';

const script = { doneAt: 60_000 };

describe('pollStep', () => {
  it('sleeps as the schedule says, then reads', async () => {
    const h = harness((_request, clock) => json(jobBody(script, clock.now())));
    const { ctx, state } = stepContext(h);
    const signal = new AbortController().signal;
    const first = await drive(h.clock, readStatus(ctx, state, signal));
    await drive(
      h.clock,
      pollStep(ctx, state, first, signal, () => readStatus(ctx, state, signal)),
    );
    expect(h.times()).toEqual([0, 1_000]); // the initial delay
  });

  it('near the deadline, squeezes one last read in, then only waits the deadline out', async () => {
    const h = harness((_request, clock) => json(jobBody(script, clock.now())));
    const { ctx, state } = stepContext(h, { deadline: 1_000 });
    const signal = new AbortController().signal;
    const first = await drive(h.clock, readStatus(ctx, state, signal));
    const read = (): Promise<unknown> => readStatus(ctx, state, signal);
    await drive(h.clock, pollStep(ctx, state, first, signal, read));
    expect(h.times()).toEqual([0, 900]); // 1 s less 10% for the answer to come back
    await drive(h.clock, pollStep(ctx, state, first, signal, read));
    expect(h.times()).toEqual([0, 900]);
    expect(h.clock.now()).toBe(1_000);
  });

  it('a re-plan during the sleep returns without reading, and the next plan is not later', async () => {
    const h = harness((_request, clock) => json(jobBody(script, clock.now())));
    const { ctx, state } = stepContext(h);
    const signal = new AbortController().signal;
    const first = await drive(h.clock, readStatus(ctx, state, signal));
    const read = (): Promise<unknown> => readStatus(ctx, state, signal);
    const step = pollStep(ctx, state, first, signal, read);
    await h.clock.advance(500);
    ctx.pauses.replan(false);
    await step;
    expect(h.requests).toHaveLength(1);
    expect(state.plannedAt).toBe(1_000);
  });
});
