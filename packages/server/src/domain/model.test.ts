import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobInput, ModelSettings } from './plan.js';
import type { JobRecord } from './state.js';
import { describeJob } from '../protocol/job-resource.js';
import { etaMs, nextTransitionMs, progressAt, stateAt } from './state.js';
import { JOB_ERRORS, modelDurationMs, planJob, possibleErrors } from './plan.js';
import { createRandom } from './prng.js';

const settings: ModelSettings = { timeScale: 1, errorRate: 0, etaError: 0.15 };
const input: JobInput = {
  sourceLanguage: 'en',
  targetLanguage: 'es',
  videoDurationSeconds: 90,
  lipSync: true,
};

const inputs = fc.record({
  sourceLanguage: fc.constant('en'),
  targetLanguage: fc.constant('es'),
  videoDurationSeconds: fc.double({ min: 0.1, max: 14_400, noNaN: true }),
  lipSync: fc.boolean(),
});

describe('modelDurationMs', () => {
  it('stays between 1x and 5x the video length, for any seed and input', () => {
    fc.assert(
      fc.property(inputs, fc.integer(), (job, seed) => {
        const ms = modelDurationMs(job, createRandom(seed), 1);
        const videoMs = job.videoDurationSeconds * 1000;
        expect(ms).toBeGreaterThanOrEqual(Math.floor(videoMs));
        expect(ms).toBeLessThanOrEqual(Math.ceil(videoMs * 5));
      }),
    );
  });

  it('takes longer with lip sync for the same seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const without = modelDurationMs({ ...input, lipSync: false }, createRandom(seed), 1);
      const withLipSync = modelDurationMs(input, createRandom(seed), 1);
      expect(withLipSync).toBeGreaterThan(without);
    }
  });

  it('is multiplied by timeScale', () => {
    const full = modelDurationMs(input, createRandom(7), 1);
    const scaled = modelDurationMs(input, createRandom(7), 0.01);
    expect(scaled).toBeCloseTo(full / 100, -1);
  });
});

describe('planJob', () => {
  it('is reproducible from its seed', () => {
    expect(planJob(input, 42, settings)).toEqual(planJob(input, 42, settings));
    expect(planJob(input, 42, settings)).not.toEqual(planJob(input, 43, settings));
  });

  it('walks the stages in order and ends done when it succeeds', () => {
    const plan = planJob(input, 1, settings);
    expect(plan.transitions.map((t) => t.stage)).toEqual([
      'queued',
      'transcribing',
      'translating',
      'voice_synthesis',
      'lip_sync',
      'rendering',
      'done',
    ]);
    expect(plan.transitions.at(-1)).toEqual({ atMs: plan.totalMs, stage: 'done', result: 'completed' });
  });

  it('skips lip_sync when it is off', () => {
    const plan = planJob({ ...input, lipSync: false }, 1, settings);
    expect(plan.transitions.map((t) => t.stage)).not.toContain('lip_sync');
  });

  it('fails in the stage the error names, with its message', () => {
    const plan = planJob(
      { ...input, simulate: { durationMs: 10_000, outcome: 'error', errorCode: 'lip_sync_failed' } },
      1,
      settings,
    );
    const stages = plan.transitions.map((t) => t.stage);
    expect(stages.slice(-2)).toEqual(['lip_sync', 'failed']);
    expect(plan.error).toEqual({ code: 'lip_sync_failed', message: 'No face was found in 40% of frames' });
    const lipSync = plan.transitions.at(-2);
    const failed = plan.transitions.at(-1);
    expect(failed?.atMs).toBeGreaterThan(lipSync?.atMs ?? Infinity);
  });

  it('follows the error rate: 0 never fails, 1 always fails at a stage the job has', () => {
    for (let seed = 0; seed < 100; seed++) {
      expect(planJob(input, seed, { ...settings, errorRate: 0 }).error).toBeUndefined();
      const plan = planJob({ ...input, lipSync: false }, seed, { ...settings, errorRate: 1 });
      expect(plan.error).toBeDefined();
      expect(possibleErrors(false)).toContain(plan.error?.code);
      expect(plan.transitions.map((t) => t.stage)).toContain(
        JOB_ERRORS[plan.error?.code ?? 'render_failed'].stage,
      );
    }
  });

  it('fails roughly errorRate of the jobs', () => {
    let failures = 0;
    for (let seed = 0; seed < 2000; seed++)
      if (planJob(input, seed, { ...settings, errorRate: 0.3 }).error) failures++;
    expect(failures / 2000).toBeGreaterThan(0.25);
    expect(failures / 2000).toBeLessThan(0.35);
  });

  it('uses simulate.duration_ms exactly, unscaled', () => {
    const plan = planJob({ ...input, simulate: { durationMs: 1234 } }, 1, { ...settings, timeScale: 0.01 });
    expect(plan.totalMs).toBe(1234);
  });

  it('draws an ETA bias within ±etaError', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 0.9, noNaN: true }), (seed, etaError) => {
        const plan = planJob(input, seed, { ...settings, etaError });
        expect(Math.abs(plan.etaBias - 1)).toBeLessThanOrEqual(etaError + 1e-9);
      }),
    );
  });
});

describe('state over time', () => {
  const arbitraryPlan = fc
    .tuple(inputs, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([job, seed, errorRate]) => planJob(job, seed, { timeScale: 0.001, errorRate, etaError: 0.15 }));

  it('has monotone version and progress, and terminal states are sticky', () => {
    fc.assert(
      fc.property(
        arbitraryPlan,
        fc.array(fc.nat({ max: 200_000 }), { minLength: 2, maxLength: 20 }),
        (plan, times) => {
          const sorted = [...times].sort((a, b) => a - b);
          let previous = stateAt(plan, 0);
          let previousProgress = progressAt(plan, 0);
          for (const t of sorted) {
            const state = stateAt(plan, t);
            const progress = progressAt(plan, t);
            expect(state.version).toBeGreaterThanOrEqual(previous.version);
            expect(progress).toBeGreaterThanOrEqual(previousProgress);
            expect(progress).toBeGreaterThanOrEqual(0);
            expect(progress).toBeLessThanOrEqual(1);
            if (previous.result !== 'pending') expect(state).toEqual(previous);
            if (state.result === 'pending') expect(progress).toBeLessThan(1);
            previous = state;
            previousProgress = progress;
          }
        },
      ),
    );
  });

  it('reports the next transition until terminal', () => {
    const plan = planJob(input, 3, settings);
    let t = 0;
    let versions = 1;
    for (let next = nextTransitionMs(plan, t); next !== undefined; next = nextTransitionMs(plan, t)) {
      t = next;
      versions = stateAt(plan, t).version;
    }
    expect(versions).toBe(plan.transitions.length);
    expect(stateAt(plan, t).result).toBe('completed');
  });

  it('gives an ETA that is biased once, noisy a little, never negative, and absent when terminal', () => {
    const plan = planJob(input, 5, settings);
    const truth = plan.totalMs - 1000;
    const eta = etaMs(plan, 1000, 0) ?? -1;
    expect(eta).toBe(Math.round(truth * plan.etaBias));
    expect(etaMs(plan, 1000, 0.03)).toBeGreaterThan(eta);
    expect(etaMs(plan, plan.totalMs - 1, -0.03)).toBeGreaterThanOrEqual(0);
    expect(etaMs(plan, plan.totalMs, 0)).toBeUndefined();
  });
});

describe('describeJob', () => {
  const record: JobRecord = {
    id: 'job_1',
    input,
    createdAtMs: Date.UTC(2026, 10, 23, 10),
    plan: planJob(
      { ...input, simulate: { durationMs: 10_000, outcome: 'error', errorCode: 'render_failed' } },
      9,
      settings,
    ),
  };

  it('renders a pending job with an ETA and no completion time', () => {
    const job = describeJob(record, record.createdAtMs + 100);
    expect(job).toMatchObject({
      id: 'job_1',
      result: 'pending',
      stage: 'queued',
      source_language: 'en',
      target_language: 'es',
      video_duration_seconds: 90,
      lip_sync: true,
      created_at: '2026-11-23T10:00:00.000Z',
      completed_at: null,
      version: 1,
    });
    expect(job.eta_ms).toBeGreaterThan(0);
    expect(job.error).toBeUndefined();
  });

  it('renders a failed job with its error and without an ETA', () => {
    const job = describeJob(record, record.createdAtMs + 60_000);
    expect(job.result).toBe('error');
    expect(job.stage).toBe('failed');
    expect(job.error?.code).toBe('render_failed');
    expect(job.eta_ms).toBeUndefined();
    expect(job.completed_at).toBe(job.updated_at);
  });
});
