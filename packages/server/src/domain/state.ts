/**
 * A job's state as a pure function of its plan and the time since its creation: stage, result, version,
 * progress and ETA. Nothing here reads a clock; the store supplies `now`.
 */
import type { JobInput, JobPlan, JobResult, JobStage, Transition } from './plan.js';

export interface JobState {
  readonly stage: JobStage;
  readonly result: JobResult;
  /** 1 at creation, +1 per transition. */
  readonly version: number;
  /** Milliseconds after creation when the current state began. */
  readonly sinceMs: number;
}

/** The state of a job `elapsedMs` after its creation. */
export function stateAt(plan: JobPlan, elapsedMs: number): JobState {
  let index = 0;
  const transitions = plan.transitions;
  for (let i = 1; i < transitions.length; i++)
    if ((transitions[i] as Transition).atMs <= elapsedMs) index = i;
  const t = plan.transitions[index] as Transition;
  return { stage: t.stage, result: t.result, version: index + 1, sinceMs: t.atMs };
}

/** Milliseconds after creation of the next state change, or undefined once terminal. */
export function nextTransitionMs(plan: JobPlan, elapsedMs: number): number | undefined {
  return plan.transitions.find((t) => t.atMs > elapsedMs)?.atMs;
}

/**
 * The state of a stored job `elapsedMs` after its creation, its cancellation included: from the moment
 * it was canceled on, the job is in `error` at stage `canceled`, one version past the state it was
 * canceled in. Derived, so every reader of the same record sees the same version.
 */
export function jobStateAt(record: Pick<JobRecord, 'plan' | 'canceledAtMs'>, elapsedMs: number): JobState {
  const canceledAt = record.canceledAtMs;
  if (canceledAt === undefined || elapsedMs < canceledAt) return stateAt(record.plan, elapsedMs);
  const before = stateAt(record.plan, canceledAt);
  return { stage: 'canceled', result: 'error', version: before.version + 1, sinceMs: canceledAt };
}

/** nextTransitionMs for a stored job: a canceled job has no further change. */
export function nextChangeMs(
  record: Pick<JobRecord, 'plan' | 'canceledAtMs'>,
  elapsedMs: number,
): number | undefined {
  const canceledAt = record.canceledAtMs;
  const next = nextTransitionMs(record.plan, elapsedMs);
  if (canceledAt === undefined) return next;
  if (elapsedMs >= canceledAt) return undefined;
  return next === undefined || next >= canceledAt ? canceledAt : next;
}

/** Progress 0..1: time-based, frozen at a failure, below 1 until done. Never decreases. */
export function progressAt(plan: JobPlan, elapsedMs: number): number {
  return progressIn(plan, stateAt(plan, elapsedMs), elapsedMs);
}

/** progressAt for a state already worked out. */
export function progressIn(plan: JobPlan, state: JobState, elapsedMs: number): number {
  if (state.result === 'completed') return 1;
  if (plan.totalMs <= 0) return 0;
  const upTo = state.result === 'error' ? state.sinceMs : elapsedMs;
  const raw = Math.min(0.999, Math.max(0, upTo / plan.totalMs));
  return Math.floor(raw * 1000) / 1000;
}

/** How far a single read of the ETA may wander around the job's biased estimate. */
export const ETA_READ_NOISE = 0.03;

/**
 * The server's remaining-time estimate: the true time to completion × the job's bias × (1 ± 3% read
 * noise), never negative, undefined once terminal. It estimates completion even for jobs that will fail,
 * as a real backend cannot know.
 */
export function etaMs(plan: JobPlan, elapsedMs: number, readNoise: number): number | undefined {
  return etaIn(plan, stateAt(plan, elapsedMs), elapsedMs, readNoise);
}

/** etaMs for a state already worked out. */
export function etaIn(
  plan: JobPlan,
  state: JobState,
  elapsedMs: number,
  readNoise: number,
): number | undefined {
  if (state.result !== 'pending') return undefined;
  const remaining = Math.max(0, plan.totalMs - elapsedMs);
  return Math.max(0, Math.round(remaining * plan.etaBias * (1 + readNoise)));
}

/** A stored job: its identity, input and plan. Its state is a function of time (and its cancellation). */
export interface JobRecord {
  readonly id: string;
  readonly input: JobInput;
  readonly createdAtMs: number;
  readonly plan: JobPlan;
  /** Milliseconds after creation when DELETE /jobs/:id canceled it; absent for a job not canceled. */
  readonly canceledAtMs?: number | undefined;
}
