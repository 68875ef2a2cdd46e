/**
 * What one trace job looks like at a given moment: pure functions of the plan and the elapsed time.
 */
import type { ProcessingStage, TraceJob } from './trace.js';

export type JobResult = 'pending' | 'completed';
export type JobStage = ProcessingStage | 'done';

export interface JobSnapshot {
  readonly result: JobResult;
  readonly stage: JobStage;
  /** Increases by one on every stage change; the terminal state has the last version. */
  readonly version: number;
  /** Elapsed milliseconds at which the current stage began. */
  readonly sinceMs: number;
  /** 0 to 1, never decreasing. */
  readonly progress: number;
}

export function snapshotAt(job: TraceJob, elapsedMs: number): JobSnapshot {
  if (elapsedMs >= job.durationMs) {
    return {
      result: 'completed',
      stage: 'done',
      version: job.stages.length + 1,
      sinceMs: job.durationMs,
      progress: 1,
    };
  }
  let index = 0;
  while (index + 1 < job.stages.length && (job.stages[index + 1]?.startMs ?? Infinity) <= elapsedMs) index++;
  const span = job.stages[index];
  return {
    result: 'pending',
    stage: span?.stage ?? 'queued',
    version: index + 1,
    sinceMs: span?.startMs ?? 0,
    progress: Math.floor((Math.max(0, elapsedMs) / job.durationMs) * 1000) / 1000,
  };
}

/** Elapsed milliseconds of the next change of `result` or `stage`, or undefined once the job has ended. */
export function nextChangeMs(job: TraceJob, elapsedMs: number): number | undefined {
  if (elapsedMs >= job.durationMs) return undefined;
  for (const span of job.stages) if (span.startMs > elapsedMs) return span.startMs;
  return job.durationMs;
}
