/**
 * The replayed workload: job durations drawn from a log-normal distribution (most jobs take minutes, a
 * few take much longer), each job split into the protocol's stages, with a per-job ETA bias.
 */
import { childSeed, seededRandom, standardNormal, uniform } from './random.js';
import type { Random } from './random.js';
import { STAGE_WEIGHTS, type ProcessingStage } from '../../packages/server/src/domain/plan.js';

export type { ProcessingStage } from '../../packages/server/src/domain/plan.js';

export interface TraceParams {
  /** Number of jobs. */
  readonly jobs: number;
  readonly seed: number;
  /** Median job duration (the log-normal's e^mu). */
  readonly medianMs: number;
  /** Log-normal shape: the standard deviation of ln(duration). */
  readonly sigma: number;
  /** Durations above this are capped (the long tail's end). */
  readonly maxMs: number;
  /** Durations below this are raised (no job is instant). */
  readonly minMs: number;
  /** Each job's ETA is off by a bias drawn once from [-etaBias, +etaBias]. */
  readonly etaBias: number;
}

export const DEFAULT_TRACE: TraceParams = {
  jobs: 5000,
  seed: 20261123,
  medianMs: 8 * 60_000,
  sigma: 1,
  maxMs: 2 * 3_600_000,
  minMs: 5_000,
  etaBias: 0.15,
};

export interface StageSpan {
  readonly stage: ProcessingStage;
  /** Milliseconds after creation when this stage starts. */
  readonly startMs: number;
}

export interface TraceJob {
  readonly id: string;
  readonly durationMs: number;
  readonly lipSync: boolean;
  /** Stages in order; the first starts at 0 and the job completes at `durationMs`. */
  readonly stages: readonly StageSpan[];
  /** Relative error of this job's ETA, e.g. -0.1 means the ETA is 10% optimistic. */
  readonly etaBias: number;
  /** Seed for everything random about serving this job (per-read ETA noise). */
  readonly seed: number;
}

/** Each stage's weight is scaled by a factor in [1 - jitter, 1 + jitter] so jobs differ in shape. */
const STAGE_JITTER = 0.3;

/** A log-normal duration: median × e^(sigma × z), clamped to [minMs, maxMs]. */
export function drawDurationMs(random: Random, params: TraceParams): number {
  const raw = params.medianMs * Math.exp(params.sigma * standardNormal(random));
  return Math.round(Math.min(params.maxMs, Math.max(params.minMs, raw)));
}

function planStages(random: Random, durationMs: number, lipSync: boolean): StageSpan[] {
  const names = (Object.keys(STAGE_WEIGHTS) as ProcessingStage[]).filter(
    (stage) => lipSync || stage !== 'lip_sync',
  );
  const weights = names.map(
    (stage) => STAGE_WEIGHTS[stage] * uniform(random, 1 - STAGE_JITTER, 1 + STAGE_JITTER),
  );
  const total = weights.reduce((sum, w) => sum + w, 0);
  let elapsed = 0;
  return names.map((stage, i) => {
    const span = { stage, startMs: Math.round(elapsed) };
    elapsed += (durationMs * (weights[i] ?? 0)) / total;
    return span;
  });
}

/** Generates the whole trace; the same params always give the same jobs. */
export function generateTrace(params: TraceParams): TraceJob[] {
  const random = seededRandom(params.seed);
  const jobs: TraceJob[] = [];
  for (let i = 0; i < params.jobs; i++) {
    const jobRandom = seededRandom(childSeed(random));
    const durationMs = drawDurationMs(jobRandom, params);
    const lipSync = jobRandom() < 0.5;
    jobs.push({
      id: `job_${i.toString(16).padStart(6, '0')}`,
      durationMs,
      lipSync,
      stages: planStages(jobRandom, durationMs, lipSync),
      etaBias: uniform(jobRandom, -params.etaBias, params.etaBias),
      seed: childSeed(jobRandom),
    });
  }
  return jobs;
}
