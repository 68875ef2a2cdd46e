import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CancelOutcome } from './cancel.js';
import { decideCancel } from './cancel.js';
import type { JobPlan } from './plan.js';
import { planJob } from './plan.js';
import { jobStateAt, nextChangeMs, stateAt } from './state.js';

const model = { timeScale: 1, errorRate: 0, etaError: 0.15 };
const input = { sourceLanguage: 'en', targetLanguage: 'fr', videoDurationSeconds: 10, lipSync: false };
const completing: JobPlan = planJob({ ...input, simulate: { durationMs: 1000 } }, 1, model);
const failing: JobPlan = planJob(
  { ...input, simulate: { durationMs: 1000, outcome: 'error', errorCode: 'render_failed' } },
  1,
  model,
);
const failsAt = failing.transitions.at(-1)?.atMs ?? Number.NaN;

describe('decideCancel', () => {
  it.each<[string, JobPlan, number | undefined, number, CancelOutcome]>([
    ['a pending job', completing, undefined, 500, 'canceled'],
    ['a job at its very start', completing, undefined, 0, 'canceled'],
    ['a job canceled before', completing, 300, 500, 'already_canceled'],
    ['a job canceled before, asked after its planned end', completing, 300, 5000, 'already_canceled'],
    ['a completed job', completing, undefined, 1000, 'finished'],
    ['a failed job', failing, undefined, failsAt, 'finished'],
  ])('%s -> %s', (_name, plan, canceledAtMs, elapsedMs, expected) => {
    expect(decideCancel({ plan, canceledAtMs }, elapsedMs)).toBe(expected);
  });
});

describe('the state of a canceled job', () => {
  it('is error at stage canceled, one version past the state it was canceled in, from then on', () => {
    const record = { plan: completing, canceledAtMs: 400 };
    const before = stateAt(completing, 400);
    expect(jobStateAt(record, 399)).toEqual(stateAt(completing, 399));
    for (const at of [400, 999, 1000, 1_000_000]) {
      expect(jobStateAt(record, at)).toEqual({
        stage: 'canceled',
        result: 'error',
        version: before.version + 1,
        sinceMs: 400,
      });
    }
    expect(nextChangeMs(record, 400)).toBeUndefined();
    expect(nextChangeMs(record, 0)).toBeLessThanOrEqual(400);
  });

  it('never goes back a version, wherever the cancel falls', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.array(fc.nat(2000), { maxLength: 20 }),
        (cancelAt, times) => {
          const record = { plan: completing, canceledAtMs: cancelAt };
          const versions = [...times].sort((a, b) => a - b).map((t) => jobStateAt(record, t).version);
          for (let i = 1; i < versions.length; i++)
            expect(versions[i]).toBeGreaterThanOrEqual(versions[i - 1] ?? 0);
        },
      ),
    );
  });
});
