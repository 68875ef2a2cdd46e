import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../options/defaults.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import { bodyHints } from '../protocol/hints.js';
import type { JobStatus } from '../protocol/status.js';
import { planPoll } from './poll-plan.js';

const polling: ResolvedPollingOptions = { ...DEFAULTS.polling, schedule: undefined };
const status: JobStatus = {
  jobId: 'j',
  result: 'pending',
  stage: undefined,
  progress: undefined,
  etaMs: undefined,
  version: undefined,
  error: undefined,
  body: {},
};
const hints = bodyHints(status);
const noJitter = (): number => 0;

describe('planPoll', () => {
  it('sleeps as the schedule says when the deadline is far', () => {
    const ctx = { attempt: 1, elapsedMs: 0, remainingMs: 600_000, status, hints };
    const { plan } = planPoll(
      { previousDelayMs: undefined, squeezedFor: undefined },
      ctx,
      600_000,
      polling,
      noJitter,
    );
    expect(plan).toEqual({ kind: 'sleep', delayMs: 1_000, last: false });
  });

  it('squeezes a last poll in before a near deadline, once', () => {
    const ctx = { attempt: 4, elapsedMs: 7_000, remainingMs: 3_000, status, hints };
    const first = planPoll(
      { previousDelayMs: undefined, squeezedFor: undefined },
      ctx,
      10_000,
      polling,
      noJitter,
    );
    expect(first.plan).toEqual({ kind: 'sleep', delayMs: 2_700, last: true });
    const again = planPoll(
      { previousDelayMs: undefined, squeezedFor: 10_000 },
      ctx,
      10_000,
      polling,
      noJitter,
    );
    expect(again.plan).toEqual({ kind: 'deadline' });
  });

  it('polls on for a later deadline once the earlier one had its last poll', () => {
    const ctx = { attempt: 4, elapsedMs: 7_000, remainingMs: 600_000, status, hints };
    const { plan } = planPoll(
      { previousDelayMs: undefined, squeezedFor: 10_000 },
      ctx,
      607_000,
      polling,
      noJitter,
    );
    expect(plan.kind).toBe('sleep');
  });

  it('remembers the delay only while past the ETA, so dense polling grows again from it', () => {
    const past = { ...status, etaMs: 100 };
    const ctx = { attempt: 3, elapsedMs: 5_000, remainingMs: 600_000, status: past, hints };
    const { plan, previousDelayMs } = planPoll(
      { previousDelayMs: 500, squeezedFor: undefined },
      ctx,
      605_000,
      polling,
      noJitter,
    );
    expect(plan).toEqual({ kind: 'sleep', delayMs: 1_000, last: false });
    expect(previousDelayMs).toBe(1_000);
    const early = planPoll(
      { previousDelayMs: 500, squeezedFor: undefined },
      { ...ctx, status },
      605_000,
      polling,
      noJitter,
    );
    expect(early.previousDelayMs).toBeUndefined();
  });
});
